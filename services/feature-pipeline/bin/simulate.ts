/**
 * Publishes simulated shopper traffic to the behaviour topic.
 *   npx tsx services/feature-pipeline/bin/simulate.ts --events 100000 [--rate 2000] [--seed 7] [--catalog 50000]
 * `--rate` paces events per second in real time (timestamps are then "now"); without it, events are sent as
 * fast as Kafka takes them, with simulated timestamps ending now.
 */
import { parseArgs } from 'node:util';
import { backendSettings, createKafka } from '@search-mesh/backends';
import { loadConfig } from '@search-mesh/service-kit';
import { BehaviourPublisher } from '../src/adapters/behaviour-publisher';
import { loadSimulatorInputs } from '../src/adapters/sim-inputs';
import { TrafficSimulator } from '../src/domain/simulator';

async function main() {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' }, rate: { type: 'string' }, seed: { type: 'string', default: '7' }, catalog: { type: 'string', default: '50000' } } });
  const total = Number(values.events);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  const config = loadConfig('simulate', backendSettings, process.env);
  const kafka = createKafka(config, 'behaviour-simulator');
  const publisher = new BehaviourPublisher(kafka, config.namespace);
  await publisher.connect();
  const inputs = loadSimulatorInputs({ size: Number(values.catalog) });
  const meanGapMs = rate ? 1000 / rate : 50;
  const sim = new TrafficSimulator({ ...inputs, seed: Number(values.seed), meanGapMs, startAt: rate ? Date.now() : Date.now() - total * meanGapMs });
  let sent = 0;
  const started = Date.now();
  // Paced, a batch is a tenth of a second of traffic (a live stream, not a burst every 1,000 events).
  const batchSize = rate ? Math.max(1, Math.min(1000, Math.round(rate / 10))) : 1000;
  while (sent < total) {
    const events = sim.batch(Math.min(batchSize, total - sent));
    if (rate) {
      const wait = sim.clock - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    sent += await publisher.publish(events);
  }
  await publisher.disconnect();
  console.log(`published ${sent} behaviour events to ${config.namespace} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
