import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DriverLoadError, loadDriver } from '../../src/loader/load-driver.js';
import { sim } from '../harness.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/drivers/${name}`, import.meta.url));

describe('loadDriver', () => {
  it('bundles once and gives a fresh module instance (fresh globals) per instantiate', async () => {
    const driver = await loadDriver(fixture('counter.ts'));
    const a = driver.instantiate();
    const b = driver.instantiate();
    expect((a.instanceCount as () => number)()).toBe(1);
    expect((b.instanceCount as () => number)()).toBe(1);
    expect(a).not.toBe(b);
    driver.dispose();
  });

  it("resolves require('ndis-sim') to the host's own API and maps frames back to the .ts line", async () => {
    const driver = await loadDriver(fixture('counter.ts'));
    const s = sim();
    const p = (driver.instantiate().leak as (h: object) => number)(s.adapter);
    expect(p).not.toBe(0);
    expect(s.engine.memory.total.liveCount).toBe(1);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    const [leak] = s.findings('Leak_PoolMemory');
    expect(leak.allocationSite[0]).toMatch(/^Object\.leak \(.*counter\.ts:12:\d+\)$/);
    driver.dispose();
  });

  it('loads a package folder through its package.json main', async () => {
    const driver = await loadDriver(fixture('pkg-driver'));
    expect(driver.instantiate().kind).toBe('package folder');
    driver.dispose();
  });

  it('names the file and the cause when the driver does not compile, throws at load, or is missing', async () => {
    await expect(loadDriver(fixture('broken-syntax.ts'))).rejects.toThrow(DriverLoadError);
    await expect(loadDriver(fixture('broken-syntax.ts'))).rejects.toThrow(/broken-syntax\.ts/);
    const throwing = await loadDriver(fixture('throws-at-load.ts'));
    expect(() => throwing.instantiate()).toThrow(/throws-at-load\.ts: its top level threw: no hardware here/);
    await expect(loadDriver(fixture('missing.ts'))).rejects.toThrow(/no such file/);
  });
});
