import path from 'node:path';
import express from 'express';
import type { OpenApiDocument } from './build-openapi-document';

/** Where the readable page is; the document itself is at `/openapi.json`. */
export const DOCS_PATH = '/docs';

// Swagger UI is served from the installed package, never a CDN: the page must work where
// browsers have no internet. Only its bundle and style sheet are served.
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'];

// `validatorUrl: null`: Swagger UI would otherwise send the document to swagger.io's validator.
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SMS gateway API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="api"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script>
SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api', validatorUrl: null, deepLinking: true });
</script>
</body>
</html>
`;

/**
 * `GET /openapi.json` and the page at `/docs`, without authentication: the document holds no
 * secrets. The document is serialised once, here, so serving it costs nothing per request.
 */
export function createApiDocsRouter(document: OpenApiDocument): express.Router {
  const router = express.Router();
  const body = JSON.stringify(document);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  router.get(DOCS_PATH, (_req, res) => {
    res.type('text/html').send(DOCS_PAGE);
  });
  for (const file of SWAGGER_UI_FILES) {
    router.get(`${DOCS_PATH}/${file}`, (_req, res) => {
      // Relative to `root`: the package's own path holds `.pnpm`, which `send` refuses as a dotfile.
      res.sendFile(file, { root: SWAGGER_UI_DIR, maxAge: '1h' });
    });
  }
  return router;
}
