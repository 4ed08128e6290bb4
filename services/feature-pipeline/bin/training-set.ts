/**
 * Builds point-in-time training rows from the behaviour topic (everything up to its end when started) and
 * writes them as JSON lines, one per shown product, for the ranking trainer.
 *   npx tsx services/feature-pipeline/bin/training-set.ts --out rows.jsonl [--window-min 30]
 * The whole log is held in memory: fine for the demo's millions of events, not for a production year.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { backendSettings, createKafka } from '@search-mesh/backends';
import { type BehaviourEvent, topicNames } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';
import { decodeBehaviourEvent } from '../src/domain/decode';
import { buildTrainingRows } from '../src/domain/training-set';

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'training-rows.jsonl' }, 'window-min': { type: 'string', default: '30' } } });
  const config = loadConfig('training-set', backendSettings, process.env);
  const kafka = createKafka(config, 'training-set');
  const topic = topicNames(config.namespace).behaviour;
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  await admin.disconnect();
  const events: BehaviourEvent[] = [];
  let skipped = 0;
  const done = new Set([...ends].filter(([, high]) => high === 0n).map(([p]) => p));
  if (done.size < ends.size) {
    // A group of its own each run, so nothing is committed that another run would skip.
    const consumer = kafka.consumer({ groupId: `${config.namespace}.training-set.${process.pid}.${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= ends.get(batch.partition)!) break;
              const decoded = decodeBehaviourEvent(m.key?.toString('utf8') ?? null, m.value);
              if (decoded.ok) events.push(decoded.event);
              else skipped++;
            }
            if (BigInt(batch.lastOffset()) + 1n >= ends.get(batch.partition)!) done.add(batch.partition);
            if (done.size === ends.size) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
  }
  const rows = buildTrainingRows(events, { attributionWindowMs: Number(values['window-min']) * 60_000 });
  const out = createWriteStream(values.out!);
  for (const row of rows) out.write(`${JSON.stringify(row)}\n`);
  await new Promise((resolve) => out.end(resolve));
  console.log(`${rows.length} training rows from ${events.length} events (${skipped} invalid skipped) → ${values.out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
