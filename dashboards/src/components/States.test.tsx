import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { translator } from '../i18n/index.tsx';
import { errorText } from './States.tsx';

describe('errorText says what happened and what to do', () => {
  const t = translator('sv');
  it('maps each status to an action', () => {
    expect(errorText(t, new ApiError(0, 'network', 'Failed to fetch'))).toMatch(/Servern svarar inte/);
    expect(errorText(t, new ApiError(400, 'bad_request', 'to: must not be before from'))).toBe('Servern godtog inte frågan: to: must not be before from. Ändra filtren och försök igen.');
    expect(errorText(t, new ApiError(403, 'forbidden', 'school: X is outside your school units'))).toMatch(/^Din roll når inte.*school: X is outside.*Välj en skolenhet/);
    expect(errorText(t, new ApiError(503, 'unavailable', 'storage down'))).toMatch(/Lagringen svarar inte/);
    expect(errorText(t, new ApiError(500, 'internal', 'boom'))).toBe('Något gick fel (HTTP 500): boom');
    expect(errorText(t, new Error('x'))).toBe('Något gick fel (HTTP ?): x');
  });
  it('in English too', () => {
    expect(errorText(translator('en'), new ApiError(503, 'unavailable', ''))).toMatch(/^Storage is not answering/);
  });
});
