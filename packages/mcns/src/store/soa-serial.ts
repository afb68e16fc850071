/**
 * nextSerial is the spec's YYYYMMDDNN rule (§2.5): today's first change is today*100+1, later
 * ones count NN up, and the serial only ever grows (if the stored one is already ahead, because
 * NN passed 99 or the clock went back, it becomes stored+1). Dates are UTC.
 */
export function nextSerial(current: number, now: Date): number {
  const today = todayBase(now);
  const computed = Math.floor(current / 100) === today / 100 ? current + 1 : today + 1;
  return Math.max(computed, current + 1);
}

/** firstSerial is a new zone's serial: today*100+1. */
export function firstSerial(now: Date): number {
  return todayBase(now) + 1;
}

function todayBase(now: Date): number {
  return (now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate()) * 100;
}
