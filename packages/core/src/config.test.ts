import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig: LICENSKOLL_DEMO', () => {
  it('is on by default, off when asked, and region seeds the demo as a region', () => {
    expect(loadConfig({})).toMatchObject({ demo: true, demoRegion: false });
    expect(loadConfig({ LICENSKOLL_DEMO: 'off' })).toMatchObject({ demo: false, demoRegion: false });
    expect(loadConfig({ LICENSKOLL_DEMO: 'Region' })).toMatchObject({ demo: true, demoRegion: true });
  });

  it('names the variable and the values it takes', () => {
    expect(() => loadConfig({ LICENSKOLL_DEMO: 'yes' })).toThrow('LICENSKOLL_DEMO: "yes" must be "on", "off" or "region"');
  });
});
