import type { AuditFilters, PolicyRuleInput } from './mcias-types.js';

/**
 * Encoders for the two request shapes that are more than a field or two: a policy rule (the
 * body of create and update) and the audit query string. MCIAS parses request bodies as
 * protobuf JSON with unknown fields refused, so only proto field names are ever sent.
 */

/** PolicyRuleWire is a rule as sent to MCIAS (snake_case, RFC 3339 instants). */
export interface PolicyRuleWire {
  effect: string;
  description: string;
  priority: number;
  roles: string[];
  account_types: string[];
  subject_uuid: string;
  actions: string[];
  resource_type: string;
  owner_matches_subject: boolean;
  service_names: string[];
  required_tags: string[];
  enabled: boolean;
  not_before?: string;
  expires_at?: string;
}

/**
 * encodePolicyRule writes every field, so that an update replaces the whole rule as the API
 * documents (an omitted list is an empty list, i.e. a wildcard), and `enabled` defaults to true.
 */
export function encodePolicyRule(rule: PolicyRuleInput): PolicyRuleWire {
  const wire: PolicyRuleWire = {
    effect: rule.effect,
    description: rule.description ?? '',
    priority: rule.priority ?? 0,
    roles: [...(rule.roles ?? [])],
    account_types: [...(rule.accountTypes ?? [])],
    subject_uuid: rule.subjectUuid ?? '',
    actions: [...(rule.actions ?? [])],
    resource_type: rule.resourceType ?? '',
    owner_matches_subject: rule.ownerMatchesSubject ?? false,
    service_names: [...(rule.serviceNames ?? [])],
    required_tags: [...(rule.requiredTags ?? [])],
    enabled: rule.enabled ?? true,
  };
  if (rule.notBefore) wire.not_before = rule.notBefore.toISOString();
  if (rule.expiresAt) wire.expires_at = rule.expiresAt.toISOString();
  return wire;
}

/** auditQuery renders the filters of GET /v1/audit as a query string ('' or '?...'). */
export function auditQuery(filters: AuditFilters): string {
  const params = new URLSearchParams();
  if (filters.eventType) params.set('event_type', filters.eventType);
  if (filters.actorId) params.set('actor_id', filters.actorId);
  if (filters.targetId) params.set('target_id', filters.targetId);
  if (filters.since) params.set('since', filters.since.toISOString());
  if (filters.until) params.set('until', filters.until.toISOString());
  if (filters.pageSize !== undefined) params.set('page_size', String(filters.pageSize));
  if (filters.pageToken) params.set('page_token', filters.pageToken);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
