import type {
  SimulatorFaultsView,
  SimulatorMessageList,
  SimulatorSettingsView,
  SimulatorStats,
} from '@sms/kaarai-simulator-wire';
import { parseFaultUpdate } from './fault-update';
import { parseSettingsUpdate } from './settings-update';
import { NO_FAULTS, type SimulatorFaults } from './simulator-faults';
import type { SimulatorSettings } from './simulator-settings';
import type { SimulatorState } from './simulator-state';

export interface AdminRequest {
  readonly method: string;
  /** The request path without its query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The body as UTF-8 text; empty when there is none. */
  readonly body: string;
}

/** `body` is sent as JSON; `undefined` means no body (204). */
export interface AdminResponse {
  readonly status: number;
  readonly body?: unknown;
}

type Route = (state: SimulatorState, request: AdminRequest, now: Date) => AdminResponse;

const ROUTES: Readonly<Record<string, Readonly<Record<string, Route>>>> = {
  '/healthz': {
    GET: () => ok({ status: 'ok' }),
  },
  '/messages': {
    GET: (state, request) => {
      const to = request.query.get('to');
      const messages = state.record.list(to === null ? {} : { to });
      return ok<SimulatorMessageList>({ total: state.record.total, messages });
    },
    DELETE: (state, _request, now) => {
      state.record.clear();
      state.stats.clear(now);
      return { status: 204 };
    },
  },
  '/stats': {
    GET: (state) => ok<SimulatorStats>({ ...state.stats.snapshot(), recorded: state.record.total }),
  },
  '/faults': {
    GET: (state) => ok(faultsView(state.faults)),
    PUT: (state, request, now) => {
      const body = parseJson(request.body);
      const parsed = body.ok ? parseFaultUpdate(body.value, state.faults, now.getTime()) : body;
      if (!parsed.ok) return invalid(parsed.problems);
      state.faults = parsed.value;
      return ok(faultsView(state.faults));
    },
    DELETE: (state) => {
      state.faults = NO_FAULTS;
      return ok(faultsView(state.faults));
    },
  },
  '/settings': {
    GET: (state) => ok(settingsView(state.settings)),
    PUT: (state, request) => {
      const body = parseJson(request.body);
      const parsed = body.ok ? parseSettingsUpdate(body.value, state.settings) : body;
      if (!parsed.ok) return invalid(parsed.problems);
      state.settings = parsed.value;
      return ok(settingsView(state.settings));
    },
  },
};

/** Answers one admin API request, changing the state as asked. */
export function handleAdminRequest(
  state: SimulatorState,
  request: AdminRequest,
  now = new Date(),
): AdminResponse {
  // Own names only: the path and method are the caller's, and `toString` is on every object.
  const methods = Object.hasOwn(ROUTES, request.path) ? ROUTES[request.path] : undefined;
  if (methods === undefined) {
    return { status: 404, body: { error: 'not_found', message: `no admin resource ${request.path}` } };
  }
  const route = Object.hasOwn(methods, request.method) ? methods[request.method] : undefined;
  if (route === undefined) {
    const allowed = Object.keys(methods).join(', ');
    return {
      status: 405,
      body: { error: 'method_not_allowed', message: `${request.path} allows ${allowed}` },
    };
  }
  return route(state, request, now);
}

/** The faults as JSON shows them: the outage end as an ISO 8601 time. */
export function faultsView(faults: SimulatorFaults): SimulatorFaultsView {
  return {
    ...faults,
    outageUntil: faults.outageUntil === null ? null : new Date(faults.outageUntil).toISOString(),
  };
}

/**
 * The settings as the admin API shows them: everything but the password, which is the one a
 * gateway sends to Kaarai. The admin port has no authentication and is often published (compose,
 * a shared test host), so it may set the password but never answers it.
 */
export function settingsView({
  user,
  blockedPrefixes,
  queuedShare,
  bodyStyle,
}: SimulatorSettings): SimulatorSettingsView {
  return { user, blockedPrefixes, queuedShare, bodyStyle };
}

function ok<Body>(body: Body): AdminResponse {
  return { status: 200, body };
}

function invalid(problems: readonly string[]): AdminResponse {
  return { status: 400, body: { error: 'invalid_request', problems } };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problems: string[] } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problems: ['body: must be JSON'] };
  }
}
