/**
 * The ndis-sim command end to end, as a user runs it (the built command in dist/; `npm test`
 * builds first). Exit codes: 0 no findings, 1 findings, 2 usage or load error.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planFileName } from '../../src/cli/explore-command.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(root, 'dist/src/cli/main.js');
const correct = 'test/fixtures/drivers/mini-nic.ts';
const leaky = 'test/fixtures/drivers/mini-nic-leaky.ts';

function ndisSim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ndis-sim run', () => {
  it('exits 0 with no findings for a correct driver under every scenario', () => {
    const r = ndisSim('run', correct, '--all-scenarios');
    expect(r.stdout).toContain('== scenario full-lifecycle: clean, 0 finding(s)');
    expect(r.stdout).toContain('== scenario surprise-removal: clean');
    expect(r.stdout).toMatch(/\n0 finding\(s\)\.\n$/);
    expect(r.code).toBe(0);
  });

  it('exits 1 and reports the finding (JSON, versioned) under a fault plan', () => {
    const r = ndisSim('run', leaky, '--faults', 'nth:4', '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ format: 'ndis-sim-result', version: 1, command: 'run', driver: leaky });
    expect(report.summary.byRule).toEqual({ Leak_PoolMemory: 1 });
    const [v] = report.scenarios[0].violations;
    expect(v.allocationSite[0]).toMatch(/mini-nic-core\.ts:\d+:\d+/);
    expect(report.scenarios[0].faults).toBe('nth:4');
  });

  it('exits 2 with a clear message for a missing driver, a bad plan or an unknown scenario', () => {
    const missing = ndisSim('run', 'no-such-driver.ts');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot load driver');
    expect(missing.stderr).toContain('no such file');
    expect(ndisSim('run', correct, '--faults', 'sometimes').code).toBe(2);
    const unknown = ndisSim('run', correct, '--scenario', 'teleport');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no scenario 'teleport'");
    expect(ndisSim('run').code).toBe(2);
  });
});

describe('a reader that goes away', () => {
  it('does not crash the command: `check t.jsonl | head -1` ends with the findings exit code', () => {
    const trace = path.join(mkdtempSync(path.join(tmpdir(), 'ndis-sim-epipe-')), 'nulls.jsonl');
    // Far more output than a pipe holds: the writes after head exits meet a closed pipe (EPIPE).
    const access = '{"kind":"access","address":"0x0","size":4,"write":true}\n';
    writeFileSync(
      trace,
      `{"format":"ndis-sim-trace","version":1,"producer":"test","pointerSize":8}\n${access.repeat(3000)}`,
    );
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${cli}" check "${trace}" | head -1; echo "exit \${PIPESTATUS[0]}" >&2`],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.stdout).toBe(`ndis-sim check ${trace} (seed 1, policy record)\n`);
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).toBe('exit 1\n');
  });
});

describe('--loader esm', () => {
  const tla = 'test/fixtures/drivers/esm/tla-driver.mts';

  it('loads a driver with top-level await that the default loader refuses with a clear hint', () => {
    const refused = ndisSim('run', tla);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('tla-driver.mts');
    expect(refused.stderr).toContain('--loader esm');
    const r = ndisSim('run', tla, '--loader', 'esm', '--faults', 'nth:4', '--format', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.byRule).toEqual({ Leak_PoolMemory: 1 });
    const clean = ndisSim('run', tla, '--loader', 'esm', '--all-scenarios');
    expect(clean.code).toBe(0);
  });
});

describe('ndis-sim explore', () => {
  it('finds the leak only fault injection reaches, with a replay command that reproduces it', () => {
    const r = ndisSim('explore', leaky, '--depth', '2', '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.baseline).toMatchObject({ outcome: 'clean', allocationCalls: 4, sites: 2 });
    const leak = report.findings.find((f: { rule: string }) => f.rule === 'Leak_PoolMemory');
    expect(leak.plan).toBe('nth:4');
    expect(leak.replay).toBe(`ndis-sim run ${leaky} --scenario full-lifecycle --faults nth:4`);
    expect(report.coverage.map((c: { ddi: string }) => c.ddi)).toEqual([
      'NdisMRegisterMiniportDriver',
      'NdisAllocateMemoryWithTagPriority',
    ]);
    const replay = ndisSim(...leak.replay.split(' ').slice(1), '--format', 'json');
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout).summary.byRule).toEqual({ Leak_PoolMemory: 1 });
  });

  it("--record writes the trace of each plan with a finding; check of one finds the plan's rules", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ndis-sim-explore-record-'));
    const r = ndisSim('explore', leaky, '--depth', '2', '--format', 'json', '--record', dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.baseline.rules).toEqual([]);
    const found: { plan: string; rules: string[] }[] = report.plans.filter(
      (p: { rules: string[] }) => p.rules.length > 0,
    );
    expect(found.length).toBeGreaterThan(0);
    // One trace per plan with a finding, named by the plan (`nth:4` is nth-4.jsonl, `nth:2+4` nth-2+4.jsonl).
    expect(readdirSync(dir).sort()).toEqual(found.map((p) => `${planFileName(p.plan)}.jsonl`).sort());
    const leak = found.find((p) => p.plan === 'nth:4');
    expect(leak?.rules).toEqual(['Leak_PoolMemory']);
    const check = ndisSim('check', path.join(dir, 'nth-4.jsonl'), '--format', 'json');
    expect(check.code).toBe(1);
    const checked = JSON.parse(check.stdout);
    expect(checked.scenarios[0].violations.map((v: { rule: string }) => v.rule)).toEqual(leak?.rules);
  });

  it('gives the same result on worker threads (--jobs 2) as in one thread', () => {
    const one = JSON.parse(
      ndisSim('explore', leaky, '--depth', '2', '--jobs', '1', '--format', 'json').stdout,
    );
    const two = JSON.parse(
      ndisSim('explore', leaky, '--depth', '2', '--jobs', '2', '--format', 'json').stdout,
    );
    expect(two.plans).toEqual(one.plans);
    expect(two.findings.map((f: { rule: string; plan: string }) => [f.rule, f.plan])).toEqual(
      one.findings.map((f: { rule: string; plan: string }) => [f.rule, f.plan]),
    );
  });

  it('reports nothing for a correct driver under every single and paired fault', () => {
    const r = ndisSim('explore', correct, '--depth', '2');
    expect(r.stdout).toContain('No findings under any plan.');
    expect(r.stdout).toMatch(/explored \d+ fault plan\(s\): clean \d+\n/);
    expect(r.code).toBe(0);
  });

  it('splits plans deterministically with --shard, and merge joins the shards into the whole', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ndis-sim-shards-'));
    const whole = JSON.parse(ndisSim('explore', leaky, '--depth', '2', '--format', 'json').stdout);
    for (const i of [1, 2, 3]) {
      const shard = ndisSim(
        'explore',
        leaky,
        '--depth',
        '2',
        '--shard',
        `${i}/3`,
        '--format',
        'json',
        '-o',
        path.join(dir, `${i}.json`),
      );
      expect([0, 1]).toContain(shard.code);
    }
    const shards = [1, 2, 3].map((i) => JSON.parse(readFileSync(path.join(dir, `${i}.json`), 'utf8')));
    expect(shards.map((s) => s.plans.length).reduce((a, b) => a + b)).toBe(whole.plans.length);
    const merged = ndisSim('merge', ...[1, 2, 3].map((i) => path.join(dir, `${i}.json`)), '--format', 'json');
    const report = JSON.parse(merged.stdout);
    expect(report.shards).toEqual(['1/3', '2/3', '3/3']);
    expect(report.plans.map((p: { plan: string }) => p.plan).sort()).toEqual(
      whole.plans.map((p: { plan: string }) => p.plan).sort(),
    );
    expect(report.summary.byRule).toEqual(whole.summary.byRule);
    expect(merged.code).toBe(1);
    expect(ndisSim('merge', path.join(root, 'package.json')).code).toBe(2);
  });

  it('runs seeded random low-resource simulation with a tag filter', () => {
    const r = ndisSim(
      'explore',
      leaky,
      '--no-site-plans',
      '--no-nth-plans',
      '--random-rate',
      '0.5',
      '--random-runs',
      '8',
      '--random-tags',
      'MN*',
      '--format',
      'json',
    );
    const report = JSON.parse(r.stdout);
    expect(report.plans.map((p: { plan: string }) => p.plan)).toEqual(
      Array.from({ length: 8 }, (_, k) => `random:0.5@${1 + k}[MN*]`),
    );
    // Only pool allocations tagged 'MNic' can fail: registration never does.
    for (const p of report.plans)
      for (const f of p.injected) expect(f.ddi).toBe('NdisAllocateMemoryWithTagPriority');
    const again = JSON.parse(
      ndisSim(
        'explore',
        leaky,
        '--no-site-plans',
        '--no-nth-plans',
        '--random-rate',
        '0.5',
        '--random-runs',
        '8',
        '--random-tags',
        'MN*',
        '--format',
        'json',
      ).stdout,
    );
    expect(again.plans).toEqual(report.plans);
  });
});

/** Parses the JSON a command printed. */
function json(r: { stdout: string }) {
  return JSON.parse(r.stdout);
}

/** A replay command as printed (`ndis-sim run ...`, no quoted arguments) run again, as JSON. */
function replayOf(command: string) {
  return ndisSim(...command.split(' ').slice(1), '--format', 'json');
}

describe('explore replays', () => {
  const pkg = 'test/fixtures/drivers/pkg-nic';

  it('a package-folder driver: its site: plan replays under run with the same finding', () => {
    const r = ndisSim('explore', pkg, '--no-nth-plans', '--format', 'json');
    expect(r.code).toBe(1);
    const [leak] = json(r).findings;
    expect(leak.rule).toBe('Leak_PoolMemory');
    expect(leak.plan).toMatch(/^site:[0-9a-f]{8}$/);
    const replay = replayOf(leak.replay);
    expect(replay.code).toBe(1);
    expect(json(replay).summary.byRule).toEqual({ Leak_PoolMemory: 1 });
    expect(json(replay).scenarios[0].faults).toBe(leak.plan);
  });

  it('name --policy, --seed and --rule-off, stored in the report, and reproduce the outcome', () => {
    const r = ndisSim('explore', leaky, '--policy', 'bugcheck', '--seed', '7', '--format', 'json');
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report).toMatchObject({ seed: 7, policy: 'bugcheck', rulesOff: [] });
    const plan = report.plans.find((p: { plan: string }) => p.plan === 'nth:4');
    expect(plan.outcome).toBe('bugcheck');
    expect(plan.replay).toBe(
      `ndis-sim run ${leaky} --scenario full-lifecycle --faults nth:4 --policy bugcheck --seed 7`,
    );
    expect(json(replayOf(plan.replay)).scenarios[0].outcome).toBe('bugcheck');

    const off = json(ndisSim('explore', leaky, '--rule-off', 'Leak_PoolMemory', '--format', 'json'));
    expect(off.rulesOff).toEqual(['Leak_PoolMemory']);
    const quiet = off.plans.find((p: { plan: string }) => p.plan === 'nth:4');
    expect(quiet.outcome).toBe('clean');
    expect(quiet.replay).toBe(
      `ndis-sim run ${leaky} --scenario full-lifecycle --faults nth:4 --rule-off Leak_PoolMemory`,
    );
    const replayed = replayOf(quiet.replay);
    expect(replayed.code).toBe(0);
    expect(json(replayed).scenarios[0].outcome).toBe('clean');
    // Without the flag the same plan has the finding: the flag is what the replay reproduces.
    expect(replayOf(quiet.replay.replace(' --rule-off Leak_PoolMemory', '')).code).toBe(1);
  });

  it('random plans whose text needs an exponent (1e-7) run and replay; tag patterns with ] are refused', () => {
    const r = ndisSim(
      'explore',
      leaky,
      '--no-site-plans',
      '--no-nth-plans',
      '--random-rate',
      '1e-7',
      '--random-runs',
      '2',
      '--format',
      'json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plans = json(r).plans;
    expect(plans.map((p: { plan: string; outcome: string }) => [p.plan, p.outcome])).toEqual([
      ['random:1e-7@1', 'clean'],
      ['random:1e-7@2', 'clean'],
    ]);
    expect(replayOf(plans[0].replay).code).toBe(0);
    const bad = ndisSim('explore', leaky, '--random-rate', '0.5', '--random-tags', 'Rx]*');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("ndis-sim: --random-tags: pool-tag pattern 'Rx]*' holds '[', ']' or ','\n");
  });
});

describe('ndis-sim merge', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ndis-sim-merge-'));
  const shard = (i: number, n: number) => {
    const file = path.join(dir, `${i}of${n}.json`);
    const args = ['explore', leaky, '--depth', '2', '--shard', `${i}/${n}`, '--format', 'json', '-o', file];
    expect([0, 1]).toContain(ndisSim(...args).code);
    return file;
  };

  it('gives the unsharded result (plans, findings and their replays, coverage) in any argument order', () => {
    const whole = json(ndisSim('explore', leaky, '--depth', '2', '--format', 'json'));
    const files = [1, 2, 3].map((i) => shard(i, 3));
    for (const order of [files, [files[2], files[0], files[1]], [files[1], files[2], files[0]]]) {
      const merged = ndisSim('merge', ...order, '--format', 'json');
      expect(merged.code).toBe(1);
      const report = json(merged);
      expect(report.shards).toEqual(['1/3', '2/3', '3/3']);
      expect(report.plans).toEqual(whole.plans);
      expect(report.findings).toEqual(whole.findings);
      expect(report.coverage).toEqual(whole.coverage);
      expect(report.summary).toEqual(whole.summary);
    }
  });

  it('refuses the same shard twice, shards of different splits, and an incomplete set (exit 2)', () => {
    const [a, b] = [shard(1, 2), shard(2, 2)];
    const twice = ndisSim('merge', a, a, b);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('shard 1/2 is given twice');
    const mixed = ndisSim('merge', a, shard(2, 3));
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('different splits');
    const missing = ndisSim('merge', b);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard(s) 1/2 missing');
    expect(ndisSim('merge', a, b).code).toBe(1);
  });
});

describe('outputs that cannot be written', () => {
  // A regular file where a folder should be: no user (root included) can write under it.
  const blocker = path.join(mkdtempSync(path.join(tmpdir(), 'ndis-sim-out-')), 'a-file');
  writeFileSync(blocker, 'not a folder\n');

  it.each([
    ['run -o', ['run', leaky, '-o', path.join(blocker, 'r.json')]],
    ['run --record', ['run', leaky, '--record', path.join(blocker, 't.jsonl')]],
    ['explore -o', ['explore', leaky, '-o', path.join(blocker, 'e.json')]],
    ['explore --record', ['explore', leaky, '--depth', '2', '--record', path.join(blocker, 'traces')]],
  ])('%s: exit 2 with one line naming the file and the cause, no stack', (_, args) => {
    const r = ndisSim(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // EEXIST from creating the folder, or ENOTDIR: Node's own words for the cause.
    expect(r.stderr).toMatch(/^ndis-sim: cannot write (into )?\S+a-file\/\S+: (EEXIST|ENOTDIR): [^\n]+\n$/);
  });

  it('creates a missing folder for -o and --record', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'ndis-sim-out-'));
    const out = path.join(base, 'new', 'r.json');
    const trace = path.join(base, 'traces', 't.jsonl');
    expect(ndisSim('run', correct, '-o', out, '--record', trace).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('0 finding(s).');
    expect(readFileSync(trace, 'utf8')).toContain('ndis-sim-trace');
  });
});

describe('ndis-sim check of a trace it cannot read', () => {
  it('exits 2 with the reason (a folder is not a trace; a missing file says so)', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'ndis-sim-check-'));
    const r = ndisSim('check', folder);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ndis-sim: cannot read trace ${folder}: it is a folder\n`);
    const missing = ndisSim('check', path.join(folder, 'none.jsonl'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT: no such file or directory');
  });
});

describe('ndis-sim examples', () => {
  it('counts a twin whose runs end early (the driver throws) without any violation as caught', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'ndis-sim-examples-'));
    const r = ndisSim(
      'examples',
      '--dir',
      'test/fixtures/drivers/ended-early',
      '--out',
      out,
      '--depth',
      '1',
      '--jobs',
      '1',
    );
    expect(r.stdout).toMatch(/halt-throws \(broken twin\) +\d+ +\d+ +\(driver threw \/ hung\) x\d+/);
    expect(r.stdout).toContain('every broken twin is caught');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'test_fixtures_drivers_ended-early_halt-throws_broken.explore.json',
      'test_fixtures_drivers_ended-early_halt-throws_broken.run.json',
    ]);
  });
});
