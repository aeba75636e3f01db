/**
 * The main job (`npm start`, `ndis-sim examples`): every bundled example driver and its broken twin
 * through `run` (every scenario) and `explore` (single and paired faults), a summary table, and the
 * JSON results in ./ndis-sim-report/.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { endedEarly } from '../host/plan-run.js';
import { loadDriver } from '../loader/load-driver.js';
import { toJson } from '../report/json.js';
import { EXIT_CLEAN, EXIT_FINDINGS, emit, prepareFolder, reportExitCode, reportOutcomes } from './common.js';
import { exploreReportFor } from './explore-command.js';
import { ruleCounts, table } from './format.js';
import { runReport } from './run-command.js';

export interface ExamplesOptions {
  readonly dir: string;
  readonly out: string;
  readonly depth: 1 | 2;
  readonly budget: number;
  readonly jobs?: number;
}

/** Every example driver: `<dir>/<name>/driver.ts` (correct) and `<dir>/<name>/broken.ts` (its twin). */
function findExamples(dir: string): Array<{ name: string; file: string; broken: boolean }> {
  if (!existsSync(dir)) return [];
  const found: Array<{ name: string; file: string; broken: boolean }> = [];
  for (const name of readdirSync(dir).sort()) {
    for (const [base, broken] of [
      ['driver.ts', false],
      ['broken.ts', true],
    ] as const) {
      const file = path.join(dir, name, base);
      if (existsSync(file)) found.push({ name: broken ? `${name} (broken twin)` : name, file, broken });
    }
  }
  return found;
}

/** Runs the main job; 0 when every correct example is clean and every twin has findings. */
export async function examplesCommand(options: ExamplesOptions): Promise<number> {
  const examples = findExamples(options.dir);
  if (examples.length === 0) {
    process.stderr.write(`ndis-sim: no examples under ${options.dir}\n`);
    return EXIT_FINDINGS;
  }
  prepareFolder(options.out);
  const rows: string[][] = [];
  const wrong: string[] = [];
  for (const example of examples) {
    process.stderr.write(`checking ${example.file} ...\n`);
    // Bundled once for both commands: each run still gets a fresh instance.
    const driver = await loadDriver(example.file);
    try {
      const run = await runReport(
        example.file,
        { allScenarios: true, format: 'json', policy: 'record', ruleOff: [], seed: 1, sites: true },
        driver,
      );
      const explored = await exploreReportFor(
        example.file,
        {
          scenario: 'full-lifecycle',
          depth: options.depth,
          budget: options.budget,
          sites: true,
          nth: true,
          randomRuns: 0,
          randomTags: [],
          seed: 1,
          jobs: options.jobs,
          format: 'json',
          policy: 'record',
          ruleOff: [],
          progress: false,
        },
        driver,
      );
      const stem = path.join(options.out, example.file.replace(/[\\/]/g, '_').replace(/\.ts$/, ''));
      emit(toJson(run), `${stem}.run.json`);
      emit(toJson(explored), `${stem}.explore.json`);
      // Caught means what the exit code of `run` or `explore` says: a finding, or a run that ended early.
      const found = [run, explored].some((report) => reportExitCode(report) === EXIT_FINDINGS);
      if (found !== example.broken) wrong.push(example.name);
      const byRule: Record<string, number> = { ...run.summary.byRule };
      for (const [rule, n] of Object.entries(explored.summary.byRule)) byRule[rule] = (byRule[rule] ?? 0) + n;
      const ended = [run, explored].flatMap(reportOutcomes).filter(endedEarly).length;
      if (ended > 0) byRule['(driver threw / hung)'] = ended;
      rows.push([
        example.name,
        String(run.scenarios.length),
        String(explored.plans.length),
        ruleCounts(byRule) || 'none',
      ]);
    } finally {
      driver.dispose();
    }
  }
  console.log(table(['driver', 'scenarios', 'fault plans', 'findings by rule (run + explore)'], rows));
  console.log(`\nJSON results in ${options.out}/ (one .run.json and one .explore.json per driver).`);
  if (wrong.length > 0) {
    console.log(
      `\nUnexpected: ${wrong.join(', ')} (correct examples must be clean, broken twins must have findings).`,
    );
    return EXIT_FINDINGS;
  }
  console.log(
    'Every correct example is clean under every scenario and fault plan; every broken twin is caught.',
  );
  return EXIT_CLEAN;
}
