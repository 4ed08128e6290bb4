import type { Kafka } from 'kafkajs';
import { followTopic, type TopicFollower } from '@search-mesh/backends';
import { eventDecoder, FeatureChangesEvent, FEATURES_CHANGED, topicNames } from '@search-mesh/contracts';
import type { FeatureStoreReader } from './reader';

const decodeChanges = eventDecoder<FeatureChangesEvent>({ [FEATURES_CHANGED]: FeatureChangesEvent }, 'feature-changes event');

/** How long to wait before following again when Kafka cannot be reached. */
const RETRY_MS = 5000;

/**
 * Follows the feature pipeline's change announcements (from now on, in a consumer group of this process's
 * own, so every replica sees every one) into `reader.markChanged`. Kafka being down at start is retried
 * every 5 s; meanwhile, and for any announcement lost, the reader's TTL bounds how stale a key can be.
 * An invalid message is logged and skipped.
 */
export function followFeatureChanges(
  kafka: Kafka,
  namespace: string,
  groupPrefix: string,
  reader: Pick<FeatureStoreReader, 'markChanged'>,
  log: { warn(obj: object, msg: string): void },
): { stop(): Promise<void> } {
  const topic = topicNames(namespace).featureChanges;
  let follower: TopicFollower | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const follow = async () => {
    try {
      const started = await followTopic(
        kafka,
        topic,
        groupPrefix,
        (message, partition) => {
          const decoded = decodeChanges(message.value);
          if (decoded.ok) reader.markChanged(decoded.event.products, decoded.event.queryProducts);
          else log.warn({ topic, partition, offset: message.offset, reason: decoded.reason }, 'skipping an invalid feature-changes message');
        },
        { fromBeginning: false },
      );
      if (stopped) await started.stop();
      else follower = started;
    } catch (err) {
      if (stopped) return;
      log.warn({ err, topic }, `cannot follow the feature changes yet (retrying in ${RETRY_MS / 1000} s); until then cached features expire by their TTL`);
      timer = setTimeout(() => void follow(), RETRY_MS);
    }
  };
  void follow();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await follower?.stop();
    },
  };
}
