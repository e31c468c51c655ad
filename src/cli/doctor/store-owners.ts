// The Keel processes that run threads on a store right now (their leases live), as `keel doctor`
// says them after the store's figures: several processes sharing a store is normal, and naming
// them tells an operator which ones to stop before moving the store.

/** `, run by 2 Keel processes now (pid 11 on a, pid 12 on b)`, or nothing when none runs threads on it. */
export function liveOwners(owners: ReadonlyArray<{ pid: number; host: string }>): string {
  if (owners.length === 0) return '';
  const named = owners.map((owner) => `pid ${owner.pid} on ${owner.host}`).join(', ');
  return `, run by ${owners.length} Keel process${owners.length === 1 ? '' : 'es'} now (${named})`;
}
