// The shape of one entry in the method table.
import type { z } from 'zod';

export type Direction = 'clientRequest' | 'clientNotification' | 'serverNotification' | 'serverRequest';
export type Stability = 'stable' | 'experimental';

interface SpecBase {
  direction: Direction;
  stability: Stability;
  /** Prefix of the generated type names: `${typeName}Params`, `${typeName}Response`, `${typeName}Notification`. */
  typeName: string;
  /** One line for the contract's method list. */
  summary: string;
  /** Params fields a client may only send with `capabilities.experimentalApi`. */
  experimentalFields?: readonly string[];
  /** Not part of Codex's protocol: documented as a Keel extension. */
  keelExtension?: boolean;
  /** Where the official Codex schema defines the result (for the conformance suite), e.g. `v2/ThreadStartResponse`. */
  codexResult?: string;
}

export interface RequestSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> extends SpecBase {
  direction: 'clientRequest' | 'serverRequest';
  params: P;
  result: R;
}

export interface NotificationSpec<P extends z.ZodType = z.ZodType> extends SpecBase {
  direction: 'clientNotification' | 'serverNotification';
  /** Absent for notifications that carry no params (`initialized`). */
  params?: P;
}

export type MethodSpec = RequestSpec | NotificationSpec;

export function clientRequest<P extends z.ZodType, R extends z.ZodType>(
  spec: Omit<RequestSpec<P, R>, 'direction'>,
): RequestSpec<P, R> & { direction: 'clientRequest' } {
  return { ...spec, direction: 'clientRequest' };
}

export function serverRequest<P extends z.ZodType, R extends z.ZodType>(
  spec: Omit<RequestSpec<P, R>, 'direction'>,
): RequestSpec<P, R> & { direction: 'serverRequest' } {
  return { ...spec, direction: 'serverRequest' };
}

export function serverNotification<P extends z.ZodType>(
  spec: Omit<NotificationSpec<P>, 'direction'> & { params: P },
): NotificationSpec<P> & { direction: 'serverNotification'; params: P } {
  return { ...spec, direction: 'serverNotification' };
}

export function clientNotification(
  spec: Omit<NotificationSpec, 'direction' | 'params'>,
): NotificationSpec & { direction: 'clientNotification' } {
  return { ...spec, direction: 'clientNotification' };
}
