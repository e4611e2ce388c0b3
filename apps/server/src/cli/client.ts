/** The CLI speaks to a running Licenskoll over its public API: the embedded engine belongs to the server process. */
export interface ApiClient {
  post(path: string, body: BodyInit, contentType: string): Promise<{ status: number; json: any }>;
}

export function apiClient(base: string, token: string): ApiClient {
  return {
    async post(path, body, contentType) {
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${base.replace(/\/$/, '')}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
          body,
          duplex: 'half',
        } as RequestInit);
        // 429 and 503 are the server asking to slow down or wait for storage: honour Retry-After a few times.
        if ((res.status === 429 || res.status === 503) && attempt < 6) {
          const wait = Number(res.headers.get('retry-after') ?? '2');
          await new Promise((r) => setTimeout(r, Math.min(60, Math.max(1, wait)) * 1000));
          continue;
        }
        const text = await res.text();
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = { error: { message: text.slice(0, 500) } };
        }
        return { status: res.status, json };
      }
    },
  };
}
