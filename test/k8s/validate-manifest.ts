import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { isObject, type Manifest } from './render-kustomization';

interface Model {
  validate(): void;
}

// The kinds deploy/k8s uses, with the schema of each: Kubernetes' own from kubernetes-models,
// KEDA's and prometheus-operator's CRDs from their @kubernetes-models packages.
const MODELS: Record<string, (data: never) => Model> = {};
for (const model of [
  ConfigMap,
  Namespace,
  Secret,
  Service,
  Deployment,
  HorizontalPodAutoscaler,
  NetworkPolicy,
  PodDisruptionBudget,
  ScaledObject,
  PrometheusRule,
  ServiceMonitor,
]) {
  MODELS[`${model.apiVersion}/${model.kind}`] = (data) => new model(data);
}

/** The problems of a manifest against its kind's schema; empty when it is valid. */
export function schemaProblems(manifest: Manifest): string[] {
  const create = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!create) return [`no schema known for ${manifest.apiVersion} ${manifest.kind}`];
  try {
    create(manifest as never).validate();
  } catch (error) {
    return [(error as Error).message];
  }
  return [...unknownFields(manifest, create)].map((path) => `unknown field ${path}`);
}

const PROBE = Symbol('probe');

/**
 * Fields the schema does not declare. The schemas accept unknown fields, but the API server's
 * strict field validation (kubectl's default) refuses them, and a misspelt field is silently
 * ignored otherwise. A field is declared when putting a value of no JSON type (a symbol) in its
 * place makes the manifest invalid; an undeclared one is not looked at by the schema at all.
 */
function* unknownFields(manifest: Manifest, create: (data: never) => Model): Generator<string> {
  const isValid = () => {
    try {
      create(manifest as never).validate();
      return true;
    } catch {
      return false;
    }
  };
  function* walk(node: unknown, path: string): Generator<string> {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) yield* walk(item, `${path}[${index}]`);
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      node[key] = PROBE;
      const declared = !isValid();
      node[key] = value;
      if (declared) yield* walk(value, `${path}.${key}`);
      else yield `${path}.${key}`.slice(1);
    }
  }
  yield* walk(manifest, '');
}
