import { mcProxy } from './services/mc-proxy.js';
import { mcat } from './services/mcat.js';
import { mcdoc } from './services/mcdoc.js';
import { mcias } from './services/mcias.js';
import { mcns } from './services/mcns.js';
import { mcpAgent } from './services/mcp-agent.js';
import { mcr } from './services/mcr.js';
import { metacrypt } from './services/metacrypt.js';
import type { ServiceDefinition } from './service-definition.js';

/**
 * serviceDefinitions is every service `mc up` knows, in bootstrap order: identity first (every
 * other service checks tokens against it) and its login-policy tester MCAT, then secrets and
 * certificates, ingress, the registry, DNS, the control plane agent, documentation last.
 * `mc up` starts them in this order and `mc down` stops them in reverse. Each service's issue edits its own file in
 * `services/`; adding a service means adding it here.
 */
export const serviceDefinitions: readonly ServiceDefinition[] = [mcias, mcat, metacrypt, mcProxy, mcr, mcns, mcpAgent, mcdoc];
