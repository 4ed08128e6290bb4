import { runService } from '@search-mesh/service-kit';
import { buildApp } from './app';
import { settings } from './config';

void runService({ name: 'feature-pipeline', settings, build: buildApp });
