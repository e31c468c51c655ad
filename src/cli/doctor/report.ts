// How `keel doctor` prints its checks: a line per check (`ok|warn|fail  name  detail`) with a
// `fix:` line under each problem, or one JSON object ({ok, checks}) with --json.
import type { Check } from './check.js';

export interface DoctorReport {
  /** No check failed (warnings allowed). */
  ok: boolean;
  checks: Check[];
}

export const report = (checks: Check[]): DoctorReport => ({ ok: checks.every((check) => check.status !== 'fail'), checks });

export function reportText({ checks }: DoctorReport): string {
  const width = Math.max(...checks.map((check) => check.name.length));
  return checks
    .map((check) => {
      const line = `${check.status.padEnd(4)}  ${check.name.padEnd(width)}  ${check.detail}\n`;
      return check.fix === null ? line : `${line}${' '.repeat(6)}fix: ${check.fix}\n`;
    })
    .join('');
}

export const reportJson = (doctor: DoctorReport): string => `${JSON.stringify(doctor)}\n`;
