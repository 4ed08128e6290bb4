import type { Client } from '@elastic/elasticsearch';
import { indexNames } from '@search-mesh/contracts';
import { indexMappings, indexSettings, type IndexSettingsOptions } from './mapping';

export interface WriteTargets {
  /** The live index behind the alias. */
  live: string;
  /** An index a full reindex is building; writes go to it too until the alias swaps. */
  building: string | undefined;
}

/**
 * The products index of one namespace: an index template for its versioned indices, the alias readers
 * use, and the "building" alias a reindex uses. Versioned names let a reindex build a complete new index
 * and swap the alias atomically.
 */
export class ProductsIndex {
  readonly names: ReturnType<typeof indexNames>;

  constructor(
    private readonly es: Client,
    namespace: string,
    private readonly settings: IndexSettingsOptions = {},
  ) {
    this.names = indexNames(namespace);
  }

  get alias(): string {
    return this.names.productsAlias;
  }

  /** Installs (or updates) the index template, so every versioned index gets the mapping. */
  async putTemplate(): Promise<void> {
    await this.es.indices.putIndexTemplate({
      name: this.names.productsTemplate,
      index_patterns: [`${this.names.productsIndexPrefix}*`],
      priority: 200,
      template: { settings: indexSettings(this.settings), mappings: indexMappings() },
    });
  }

  /** Creates a new, empty versioned index from the template. */
  async createVersionedIndex(): Promise<string> {
    await this.putTemplate();
    // Millisecond timestamps sort by creation; a suffix avoids a clash when two are made in one ms.
    const name = `${this.names.productsIndexPrefix}${Date.now()}_${Math.random().toString(36).slice(2, 6)}`;
    await this.es.indices.create({ index: name });
    return name;
  }

  /** Makes sure the alias exists, creating the first index if the namespace has none. Idempotent. */
  async ensure(): Promise<string> {
    const live = await this.liveIndex();
    if (live !== undefined) return live;
    const index = await this.createVersionedIndex();
    try {
      await this.es.indices.updateAliases({ actions: [{ add: { index, alias: this.alias, is_write_index: true } }] });
      return index;
    } catch (err) {
      // Another process created the alias first: use its index, drop ours.
      await this.es.indices.delete({ index, ignore_unavailable: true });
      const winner = await this.liveIndex();
      if (winner === undefined) throw err;
      return winner;
    }
  }

  async liveIndex(): Promise<string | undefined> {
    return (await this.indicesBehind(this.alias))[0];
  }

  async writeTargets(): Promise<WriteTargets> {
    const [live, building] = await Promise.all([this.liveIndex(), this.indicesBehind(this.names.productsBuildingAlias)]);
    if (live === undefined) throw new Error(`alias ${this.alias} does not exist; run ensure() first`);
    return { live, building: building[0] };
  }

  private async indicesBehind(alias: string): Promise<string[]> {
    const exists = await this.es.indices.existsAlias({ name: alias });
    if (!exists) return [];
    const res = await this.es.indices.getAlias({ name: alias });
    return Object.keys(res).sort();
  }

  /** Every versioned index of the namespace, oldest first. */
  async versionedIndices(): Promise<string[]> {
    const res = await this.es.cat.indices({ index: `${this.names.productsIndexPrefix}*`, format: 'json', h: 'index' });
    return res.map((r) => r.index!).sort();
  }
}
