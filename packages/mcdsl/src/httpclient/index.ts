// httpclient: the HTTPS JSON client (TLS 1.3, pinned CA, deadlines) that service clients use.
export { createJsonClient } from './json-client.js';
export type { JsonClient, JsonClientOptions, JsonResponse } from './json-client.js';
