// Who may load the Inspector page and open its WebSocket. The page's address carries a one-time
// token; the first request with it is exchanged for a session cookie (HttpOnly, SameSite=Strict)
// and the token is spent, so an address that leaks later (history, a screenshot) opens nothing.
// Every request must name this server as its Host (a DNS-rebound name is refused), and the
// WebSocket must come from this page's own origin: another site open in the same browser cannot
// drive the app-server through it.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type AccessDecision = { kind: 'allow' } | { kind: 'exchange'; setCookie: string } | { kind: 'refuse'; status: 403 | 421; reason: string };

export class PageAccess {
  private token: string | null = crypto.randomBytes(24).toString('base64url');
  private readonly session = crypto.randomBytes(24).toString('base64url');
  // Cookies are not kept apart by port: several inspectors on 127.0.0.1 each need a name of their own.
  private readonly cookieName: string;

  constructor(private readonly port: number) {
    this.cookieName = `keel_inspect_${port}`;
  }

  /** The one-time token for the printed address; null once it has been used. */
  get oneTimeToken(): string | null {
    return this.token;
  }

  /** A page (or asset) request: allowed with the session cookie, exchanged once with the token. */
  forPage(request: IncomingMessage, url: URL): AccessDecision {
    const host = this.hostProblem(request);
    if (host) return host;
    if (this.hasSession(request)) return { kind: 'allow' };
    const offered = url.searchParams.get('token');
    if (offered !== null && this.token !== null && same(offered, this.token)) {
      this.token = null;
      return { kind: 'exchange', setCookie: `${this.cookieName}=${this.session}; HttpOnly; SameSite=Strict; Path=/` };
    }
    return { kind: 'refuse', status: 403, reason: offered === null ? 'open the address keel inspect printed (it carries a one-time token)' : 'this token was already used or is wrong: run keel inspect again for a new address' };
  }

  /** The page's WebSocket: the session cookie, from this page's own origin. */
  forSocket(request: IncomingMessage): AccessDecision {
    const host = this.hostProblem(request);
    if (host) return host;
    if (request.headers.origin !== `http://${request.headers.host}`) return { kind: 'refuse', status: 403, reason: 'the WebSocket must come from the inspector page itself' };
    return this.hasSession(request) ? { kind: 'allow' } : { kind: 'refuse', status: 403, reason: 'no inspector session' };
  }

  private hostProblem(request: IncomingMessage): AccessDecision | null {
    const allowed = [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
    return allowed.includes(request.headers.host ?? '') ? null : { kind: 'refuse', status: 421, reason: `this server answers as 127.0.0.1:${this.port} only` };
  }

  private hasSession(request: IncomingMessage): boolean {
    const cookies = request.headers.cookie ?? '';
    for (const part of cookies.split(';')) {
      const [name, value] = part.trim().split('=');
      if (name === this.cookieName && value !== undefined && same(value, this.session)) return true;
    }
    return false;
  }
}

/** Constant-time comparison (through digests, so lengths need not match). */
function same(a: string, b: string): boolean {
  const digest = (text: string) => crypto.createHash('sha256').update(text).digest();
  return crypto.timingSafeEqual(digest(a), digest(b));
}
