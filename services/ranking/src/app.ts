import { createServiceApp, type ServiceApp } from '@search-mesh/service-kit';
import type { Config } from './config';

/** Wires the ranking service: service-kit, then its routes and adapters. */
export async function buildApp(config: Config): Promise<ServiceApp> {
  return createServiceApp({ name: 'ranking', config });
}
