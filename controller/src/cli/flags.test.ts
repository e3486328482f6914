import { parseFlags } from './flags.js';

describe('parseFlags', () => {
  it('applies the defaults; only --metrics-server is required', () => {
    const parsed = parseFlags(['--metrics-server', 'http://prometheus:9090']);
    expect(parsed).toEqual({
      kind: 'run',
      flags: expect.objectContaining({
        metricsServer: 'http://prometheus:9090',
        port: 8080,
        concurrency: 8,
        maxProgressing: 0,
        leaderElect: false,
        logLevel: 'info',
        selectorLabels: ['app', 'name', 'app.kubernetes.io/name'],
        enableConfigTracking: true,
      }),
    });
  });

  it('accepts --flag=value, --flag value and Flagger single-dash flags', () => {
    const parsed = parseFlags([
      '-metrics-server=http://prom:9090',
      '--kubeconfig',
      '/tmp/kc',
      '--leader-elect',
      '-enable-config-tracking=false',
      '--selector-labels=app,team',
      '--max-progressing',
      '3',
      '--metrics-batch-window=250ms',
      '--log-level=debug',
    ]);
    expect(parsed.kind === 'run' && parsed.flags).toEqual(
      expect.objectContaining({
        kubeconfig: '/tmp/kc',
        leaderElect: true,
        enableConfigTracking: false,
        selectorLabels: ['app', 'team'],
        maxProgressing: 3,
        metricsBatchWindowMs: 250,
        logLevel: 'debug',
      }),
    );
  });

  it('notifier settings from the environment win over flags', () => {
    const parsed = parseFlags(
      ['--metrics-server=http://p:9090', '--slack-url=https://hooks.example/flag'],
      { SLACK_URL: 'https://hooks.example/env', MSTEAMS_URL: 'https://teams.example/x' },
    );
    expect(parsed.kind === 'run' && parsed.flags.slackUrl).toBe('https://hooks.example/env');
    expect(parsed.kind === 'run' && parsed.flags.msteamsUrl).toBe('https://teams.example/x');
  });

  it.each([
    [['--metrics-server=http://p', '--nope'], 'unknown flag --nope'],
    [[], 'flag --metrics-server is required'],
    [['--metrics-server=ftp://p'], '--metrics-server must be an http(s) URL'],
    [['--metrics-server=http://p', '--port', 'abc'], '--port must be a whole number, got "abc"'],
    [['--metrics-server=http://p', '--port=70000'], '--port must be at most 65535'],
    [['--metrics-server=http://p', '--concurrency=0'], '--concurrency must be at least 1'],
    [
      ['--metrics-server=http://p', '--leader-elect=maybe'],
      '--leader-elect must be true or false, got "maybe"',
    ],
    [
      ['--metrics-server=http://p', '--log-level=loud'],
      '--log-level must be one of debug, info, warn, error',
    ],
    [['--metrics-server=http://p', '--namespace'], 'flag --namespace needs a value'],
    [['--metrics-server=http://p', 'stray'], 'unexpected argument "stray"'],
    [
      ['--metrics-server=http://p', '--api-token-secret=oops'],
      '--api-token-secret must be NS/NAME',
    ],
    [
      ['--metrics-server=http://p', '--api-token-secret=a/b', '--api-token-file=/t'],
      '--api-token-file and --api-token-secret exclude each other',
    ],
  ])('%j is refused: %s', (argv, message) => {
    expect(parseFlags(argv)).toEqual({ kind: 'error', message });
  });

  it('API flags', () => {
    const parsed = parseFlags([
      '--metrics-server=http://p',
      '--api-token-secret',
      'aviary-system/aviary-api-tokens',
      '--api-open-reads',
    ]);
    expect(parsed.kind === 'run' && parsed.flags).toMatchObject({
      apiTokenSecret: 'aviary-system/aviary-api-tokens',
      apiOpenReads: true,
    });
    const fromEnv = parseFlags(['--metrics-server=http://p'], { AVIARY_API_TOKEN: 'chart-token' });
    expect(fromEnv.kind === 'run' && fromEnv.flags.apiToken).toBe('chart-token');
  });

  it('--help and --version', () => {
    expect(parseFlags(['--help'])).toEqual({ kind: 'help' });
    expect(parseFlags(['-version'])).toEqual({ kind: 'version' });
  });
});
