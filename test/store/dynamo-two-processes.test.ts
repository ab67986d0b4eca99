import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startLocalDynamo, type LocalDynamo } from './local-dynamo';

const ROUNDS = 20;

/** A child racer and a way to ask it one thing at a time. */
function racer(local: LocalDynamo, table: string, name: string) {
  const child: ChildProcess = fork(join(__dirname, 'lock-race-child.ts'), [local.endpoint, table, name], {
    execArgv: ['-r', join(__dirname, 'ts-register.js')],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      // One pair of listeners per question, both gone once it is answered (or the racer died).
      const onExit = (code: number | null) => {
        child.off('message', onMessage);
        reject(new Error(`racer ${name} exited (${String(code)})`));
      };
      const onMessage = (m: unknown) => {
        child.off('exit', onExit);
        resolve(m as Record<string, unknown>);
      };
      child.once('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = next();
  return {
    ready,
    ask: (command: Record<string, unknown>) => {
      const answer = next();
      child.send(command);
      return answer;
    },
    kill: () => child.kill('SIGKILL'),
  };
}

describe('two processes on one DynamoDB table', () => {
  let local: LocalDynamo;
  const racers: ReturnType<typeof racer>[] = [];

  beforeAll(async () => {
    local = await startLocalDynamo();
    await local.createTable('two-processes');
  });

  afterAll(async () => {
    for (const r of racers) r.kill();
    await local.close();
  });

  it(`gives the service's lock to exactly one change in each of ${ROUNDS} rounds`, async () => {
    // Prepare: two processes, each with its own client, each racing two changes per round.
    racers.push(racer(local, 'two-processes', 'replica-a'), racer(local, 'two-processes', 'replica-b'));
    await Promise.all(racers.map((r) => r.ready));

    // Act
    const winsPerRound: number[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const now = new Date(Date.UTC(2025, 0, 21, 15, 0, round)).toISOString();
      const answers = await Promise.all(racers.map((r) => r.ask({ type: 'acquire', round, now })));
      winsPerRound.push(answers.map((a) => a.won as number));
      const winner = racers.at(answers.findIndex((a) => (a.won as number) > 0));
      expect(await winner?.ask({ type: 'release' })).toEqual({ released: true });
    }

    // Assess
    expect(winsPerRound.map((wins) => wins[0] + wins[1])).toEqual(Array(ROUNDS).fill(1));
  }, 60_000);
});
