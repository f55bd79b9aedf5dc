import { urn } from './scim-urns.js';

/** Query parameters of a SCIM list request (RFC 7644 §3.4.2). */
export interface ListQuery {
  filter?: string;
  startIndex?: number;
  count?: number;
  excludedAttributes?: string;
}

/** The most resources one page returns (ServiceProviderConfig filter.maxResults). */
export const maxResults = 1000;
const defaultCount = 100;

/** Offset and limit for a list query: startIndex is 1-based; count is clamped to 0..maxResults. */
export function pageOf(query: ListQuery): { startIndex: number; offset: number; limit: number } {
  const startIndex = Math.max(1, Math.trunc(query.startIndex ?? 1));
  const limit = Math.min(maxResults, Math.max(0, Math.trunc(query.count ?? defaultCount)));
  return { startIndex, offset: startIndex - 1, limit };
}

/** A ListResponse message. */
export function listResponse(resources: unknown[], totalResults: number, startIndex: number) {
  return {
    schemas: [urn.listResponse],
    totalResults,
    itemsPerPage: resources.length,
    startIndex,
    Resources: resources,
  };
}
