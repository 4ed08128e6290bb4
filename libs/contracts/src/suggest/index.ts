export * from './suggest';
export * from './blocklist';
