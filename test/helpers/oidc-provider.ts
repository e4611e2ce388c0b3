import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 with confidential clients (one per
 * organiser in the tenant tests): its own id, secret and redirect URI. Its development login and consent forms
 * take any password for an account of `accounts`, whose claims it releases.
 */
export interface TestClient {
  id: string;
  secret: string;
  redirectUri: string;
}

/** A port nobody listens on now (the service is told its port before it starts, for its redirect URI). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });

export async function startTestProvider(clients: TestClient[], accounts: Record<string, Record<string, string>>): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const provider = new Provider(url, {
    clients: clients.map((c) => ({
      client_id: c.id, client_secret: c.secret, redirect_uris: [c.redirectUri],
      response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic',
    })),
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    cookies: { keys: ['oidc-provider-test-cookie-key-0123456789'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    async findAccount(_ctx: unknown, id: string) {
      if (!accounts[id]) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
    },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { url, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
