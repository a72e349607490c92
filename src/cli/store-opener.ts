/** How commands that work on the database open it: from the environment unless a test supplies one. */
import { openStore, storeConfigFromEnv, type Store } from '../store/index.js';

export type StoreOpener = () => Promise<Store>;

/** `$PRRT_DATABASE_URL` or `$PRRT_DB` (see `storeConfigFromEnv`), migrated to the latest schema. */
export const openStoreFromEnv: StoreOpener = () => openStore(storeConfigFromEnv());

/** Runs `work` with an open store and closes it afterwards. */
export async function withStore<T>(open: StoreOpener, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await open();
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
