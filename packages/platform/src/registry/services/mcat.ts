import type { ServiceDefinition } from '../service-definition.js';
import { generatedHeader, httpsURL, logSection, mciasSection, serverCommand, serverSection } from '../standard-config.js';
import { tomlDocument } from '../toml-document.js';

/**
 * mcat is the login-policy tester: one HTTPS web listener whose form posts a login to MCIAS
 * with the service context `[mcias] service_name = "mcat"` and no tags. It keeps no database
 * and has no gRPC API (its config refuses `grpc_addr`), so it comes right after MCIAS, which
 * is all it needs.
 */
export const mcat: ServiceDefinition = {
  name: 'mcat',
  title: 'MCAT',
  package: '@metacircular/mcat',
  bin: 'mcat',
  ports: ['web'],
  writeConfig: (ctx) =>
    tomlDocument(
      { server: serverSection(ctx, { rest: 'web' }), mcias: mciasSection(ctx), log: logSection() },
      generatedHeader(ctx),
    ),
  healthUrl: (ports) => httpsURL(ports['web'], '/v1/health'),
  command: serverCommand,
  endpoints: (ctx) => ({ web: httpsURL(ctx.ports['web'], '/') }),
};
