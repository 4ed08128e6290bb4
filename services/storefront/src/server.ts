import { runService } from '@search-mesh/service-kit';
import { buildApp } from './app';
import { settings } from './config';

void runService({ name: 'storefront', settings, build: buildApp });
