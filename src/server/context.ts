/** Everything a route needs, built once when the server starts. */
import { repositories, type Repositories, type Store } from '../store/index.js';
import { AuditTrail } from './audit-trail.js';
import { derivedCaches, type DerivedCaches } from './derived-cache.js';
import { openPseudonymiser, type Pseudonymiser } from './pseudonymiser.js';
import { defaultServerConfig, type ServerConfig } from './server-config.js';

export interface ServerContext {
  readonly store: Store;
  readonly repos: Repositories;
  readonly audit: AuditTrail;
  readonly pseudonyms: Pseudonymiser;
  readonly config: ServerConfig;
  /** Derived views of this process, each checked against the database's change stamps. */
  readonly derived: DerivedCaches;
}

/** The context over an open, migrated store. */
export async function createServerContext(
  store: Store,
  config: Partial<ServerConfig> = {},
): Promise<ServerContext> {
  const full = defaultServerConfig(config);
  return {
    store,
    repos: repositories(store),
    audit: new AuditTrail(store, full.now),
    pseudonyms: await openPseudonymiser(store, full.now),
    config: full,
    derived: derivedCaches(),
  };
}
