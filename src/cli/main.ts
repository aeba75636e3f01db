#!/usr/bin/env node
/** The ndis-sim command. Exit codes: 0 no findings, 1 findings, 2 usage, load or output error. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DriverLoadError } from '../loader/load-driver.js';
import { checkCommand } from './check-command.js';
import { DEFAULT_POLICY, DEFAULT_SEED, EXIT_USAGE, positiveInt, toolVersion, UsageError } from './common.js';
import { runDemo } from './demo.js';
import { examplesCommand } from './examples-command.js';
import { exploreCommand, mergeCommand } from './explore-command.js';
import { runCommand } from './run-command.js';

const collect = (value: string, previous: string[]) => [...previous, value];
const int = (name: string) => (value: string) => {
  try {
    return positiveInt(name, value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};
const rate = (value: string) => {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('a rate between 0 and 1');
  return n;
};

function common(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(
      new Option('--policy <policy>', 'record findings, or stop at the first like a bug check')
        .choices(['record', 'bugcheck'])
        .default(DEFAULT_POLICY),
    )
    .option('--rule-off <id>', 'switch a rule off (repeatable)', collect, [])
    .option('--seed <n>', 'seed of every random choice', int('--seed'), DEFAULT_SEED)
    .option('-o, --out <file>', 'write the result to a file instead of standard output');
}

function loaderOption(command: Command): Command {
  return command.addOption(
    new Option('--loader <loader>', 'bundle (a fresh driver per run) or esm (tsx; for top-level await)')
      .choices(['bundle', 'esm'])
      .default('bundle'),
  );
}

function program(): Command {
  const cli = new Command('ndis-sim')
    .description(
      'NDIS 6.x resource management, simulated and verified: run and explore miniport drivers, check traces.',
    )
    .version(toolVersion())
    .showHelpAfterError()
    .exitOverride();

  common(
    loaderOption(cli.command('run'))
      .description('run a driver through lifecycle scenarios and report every rule it breaks')
      .argument('<driver>', 'driver: a .ts/.js file exporting DriverEntry, or a package folder')
      .option('-s, --scenario <name>', 'a named scenario (repeatable; default full-lifecycle)', collect, [])
      .option('--scenario-file <file>', 'a scenario from a JSON file (an array of host steps)')
      .option('--all-scenarios', "every default scenario and the driver's own")
      .option('--faults <plan>', 'inject faults: nth:3, nth:3+7, site:<id>, random:<rate>@<seed>[tags]')
      .option('--no-sites', 'do not capture allocation sites (faster)')
      .option('--record <trace.jsonl>', 'record the run as a trace (one file per scenario when several)'),
  ).action(async (driver: string, o) => {
    process.exitCode = await runCommand(driver, {
      scenario: o.scenario,
      scenarioFile: o.scenarioFile,
      allScenarios: o.allScenarios,
      format: o.format,
      policy: o.policy,
      ruleOff: o.ruleOff,
      seed: o.seed,
      faults: o.faults,
      out: o.out,
      sites: o.sites,
      record: o.record,
      loader: o.loader,
    });
  });

  common(
    loaderOption(cli.command('explore'))
      .description('systematic fault injection: fail each allocation site, each call, pairs, random runs')
      .argument('<driver>', 'driver: a .ts/.js file exporting DriverEntry, or a package folder')
      .option('-s, --scenario <name>', 'the scenario to explore', 'full-lifecycle')
      .option('--scenario-file <file>', 'a scenario from a JSON file')
      .option('--depth <n>', '1: single faults; 2: also pairs of faults', int('--depth'), 1)
      .option('--budget <n>', 'most fault plans to run', int('--budget'), 500)
      .option('--no-site-plans', 'skip failing each allocation site once')
      .option('--no-nth-plans', 'skip failing each call ordinal once')
      .option('--random-rate <p>', 'also run random low-resource simulation at this rate', rate)
      .option('--random-runs <n>', 'random runs (seeds seed, seed+1, ...)', int('--random-runs'), 20)
      .option('--random-tags <patterns>', 'only pool tags matching these (comma-separated, * wildcard)', '')
      .option('-j, --jobs <n>', 'worker threads (default: the cores)', int('--jobs'))
      .option('--shard <i/n>', 'run only shard i of n of the plans (deterministic); join with merge')
      .option('--progress', 'show a progress bar (default: when stderr is a terminal)')
      .option(
        '--record <dir>',
        'write the trace of each plan with a finding to <dir>/<plan>.jsonl (plan text made a file name)',
      ),
  ).action(async (driver: string, o) => {
    process.exitCode = await exploreCommand(driver, {
      scenario: o.scenario,
      scenarioFile: o.scenarioFile,
      depth: o.depth,
      budget: o.budget,
      sites: o.sitePlans,
      nth: o.nthPlans,
      randomRate: o.randomRate,
      randomRuns: o.randomRuns,
      randomTags: String(o.randomTags)
        .split(',')
        .filter((t: string) => t.length > 0),
      seed: o.seed,
      jobs: o.jobs,
      shard: o.shard,
      format: o.format,
      policy: o.policy,
      ruleOff: o.ruleOff,
      out: o.out,
      progress: o.progress,
      loader: o.loader,
      record: o.record,
    });
  });

  common(
    cli
      .command('check')
      .description('check a recorded trace (JSON Lines, .gz, or - for stdin) with the same rules as run')
      .argument('<trace>', 'trace file (docs/trace-format.md)')
      .option('--strict', 'stop at the first malformed line (exit 2)')
      .option('--progress', 'show a progress bar (default: when stderr is a terminal)'),
  ).action(async (trace: string, o) => {
    process.exitCode = await checkCommand(trace, {
      format: o.format,
      policy: o.policy,
      ruleOff: o.ruleOff,
      seed: o.seed,
      strict: o.strict,
      out: o.out,
      progress: o.progress,
    });
  });

  cli
    .command('merge')
    .description('join the JSON results of explore shards')
    .argument('<results...>', 'explore results (--format json)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --out <file>', 'write the result to a file')
    .action((files: string[], o) => {
      process.exitCode = mergeCommand(files, { format: o.format, out: o.out });
    });

  cli
    .command('examples')
    .description('the main job: every bundled example and its broken twin through run and explore')
    .option('--dir <dir>', 'where the examples are', 'examples')
    .option('-o, --out <dir>', 'where the JSON results go', 'ndis-sim-report')
    .option('--depth <n>', '1: single faults; 2: also pairs', int('--depth'), 2)
    .option('--budget <n>', 'most fault plans per driver', int('--budget'), 300)
    .option('-j, --jobs <n>', 'worker threads (default: the cores)', int('--jobs'))
    .action(async (o) => {
      process.exitCode = await examplesCommand({
        dir: o.dir,
        out: o.out,
        depth: o.depth,
        budget: o.budget,
        jobs: o.jobs,
      });
    });

  cli
    .command('demo')
    .description('general-memory demo of the verifier (two small drivers)')
    .action(() => {
      runDemo();
    });

  return cli;
}

/**
 * One line for an error that is not a usage, load or output error. A file-system error (it names
 * its syscall) is the user's to fix; anything else is a bug in ndis-sim, reported with its class,
 * message and the first frame of its stack so the report means something.
 */
function unexpected(error: unknown): string {
  const bug = 'internal error (a bug in ndis-sim, please report it)';
  if (!(error instanceof Error)) return `${bug}: ${String(error).split('\n')[0]}`;
  const message = error.message.split('\n')[0];
  if (typeof (error as NodeJS.ErrnoException).syscall === 'string') return message;
  const frame = /\n\s+at (.*)/.exec(error.stack ?? '')?.[1];
  return `${bug}: ${error.name}: ${message}${frame ? ` (at ${frame})` : ''}`;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const code = (error as { code?: string; exitCode?: number }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      return code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : EXIT_USAGE;
    }
    // Exit code 1 means findings: whatever stopped the command is 2, with one line saying what.
    const message =
      error instanceof UsageError || error instanceof DriverLoadError ? error.message : unexpected(error);
    process.stderr.write(`ndis-sim: ${message}\n`);
    return EXIT_USAGE;
  }
}

// A reader that goes away (`ndis-sim check t.jsonl | head`) is no crash: the command still finishes,
// so its --out and --record files are written whole; only the rest of stdout is dropped.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
});

process.exitCode = await main(process.argv.slice(2));
