// registry: what `mc up` can run. One array of plain service definitions, in bootstrap order;
// nothing registers itself by being imported.
export { serviceDefinitions } from './service-definitions.js';
export type { ServiceCommand, ServiceContext, ServiceDefinition, ServiceEndpoints } from './service-definition.js';
export { findPackageDir, locateServiceEntry } from './locate-service.js';
export { validateRegistry } from './validate-registry.js';
export { tomlDocument } from './toml-document.js';
export type { TomlSections, TomlTable, TomlValue } from './toml-document.js';
export {
  databaseSection,
  generatedHeader,
  hostPort,
  httpsURL,
  logSection,
  mciasSection,
  serverCommand,
  serverSection,
} from './standard-config.js';
