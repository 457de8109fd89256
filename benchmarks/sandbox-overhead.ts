// Per-command overhead of Clade's sandbox against bare Docker on the same image, measured side by side in one run.
// Rounds are interleaved so machine noise hits every variant alike; the ratios are the result, not the seconds.
//   npm run bench:sandbox [-- --rounds 15]
import { execa } from 'execa';
import { ensureSandboxImage } from '../sandbox/image.ts';
import { Sandbox } from '../sandbox/session.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 10;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const { tag } = await ensureSandboxImage({ log: (l) => console.error(l) });
const warm = await Sandbox.create({ image: tag, lifetimeSec: 1800 });
const bareWarm = (await execa('docker', ['run', '-d', '--rm', '--network', 'none', tag, 'sleep', '1800'])).stdout.trim();

type Variant = 'bareRun' | 'cladeSession' | 'bareExec' | 'cladeExec';
const samples: Record<Variant, number[]> = { bareRun: [], cladeSession: [], bareExec: [], cladeExec: [] };
try {
  // One warm-up of each, unmeasured: first runs pay for page cache and image layer setup.
  await execa('docker', ['run', '--rm', '--network', 'none', tag, 'true']);
  await warm.exec(['true']);
  for (let i = 0; i < rounds; i++) {
    samples.bareRun.push(await time(() => execa('docker', ['run', '--rm', '--network', 'none', tag, 'true'])));
    samples.cladeSession.push(
      await time(async () => {
        const sb = await Sandbox.create({ image: tag, lifetimeSec: 60 });
        await sb.exec(['true']);
        await sb.remove();
      }),
    );
    samples.bareExec.push(await time(() => execa('docker', ['exec', bareWarm, 'true'])));
    samples.cladeExec.push(await time(() => warm.exec(['true'])));
  }
} finally {
  await warm.remove();
  await execa('docker', ['rm', '-f', bareWarm], { reject: false });
}

const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<Variant, number>;
const report = {
  rounds,
  image: tag,
  medianMs: m,
  ratios: {
    freshSessionVsDockerRun: m.cladeSession / m.bareRun,
    execInSessionVsDockerExec: m.cladeExec / m.bareExec,
    execInSessionVsDockerRun: m.cladeExec / m.bareRun,
  },
};
console.log(`sandbox overhead, median of ${rounds} interleaved rounds (image ${tag})`);
console.log(`  docker run --rm --network none IMAGE true     ${m.bareRun.toFixed(0).padStart(6)} ms   1.00`);
console.log(`  clade: create session + exec true + remove    ${m.cladeSession.toFixed(0).padStart(6)} ms   ${report.ratios.freshSessionVsDockerRun.toFixed(2)}x docker run`);
console.log(`  docker exec CONTAINER true                    ${m.bareExec.toFixed(0).padStart(6)} ms`);
console.log(`  clade: exec true in a live session            ${m.cladeExec.toFixed(0).padStart(6)} ms   ${report.ratios.execInSessionVsDockerExec.toFixed(2)}x docker exec, ${report.ratios.execInSessionVsDockerRun.toFixed(2)}x docker run`);
console.log(JSON.stringify(report));
