/**
 * A real Kubernetes API server for tests: etcd and kube-apiserver, built from the Go module proxy by
 * test/helm/tools.sh (cached in ~/.cache/search-mesh/bin), started on loopback ports with a scratch data
 * directory, RBAC on, and two static tokens: an admin (system:masters) that sets up objects, and a
 * "discovery" user that holds only what the orchestrator chart's Role grants.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, request } from 'undici';
import { freePort } from '@search-mesh/testing';

const REPO = resolve(__dirname, '../../../..');
const TOOLS = join(REPO, 'test/helm/tools.sh');

/** Paths of the cached binaries, or why they are not there. */
export function kubeBinaries(): { etcd: string; apiserver: string } | { missing: string } {
  const path = (tool: string) => execFileSync('bash', [TOOLS, 'path', tool], { encoding: 'utf8' }).trim();
  const etcd = path('etcd');
  const apiserver = path('kube-apiserver');
  const missing = [etcd, apiserver].filter((p) => !existsSync(p));
  if (missing.length > 0) return { missing: `${missing.join(' and ')} not built (run: bash test/helm/tools.sh etcd kube-apiserver)` };
  return { etcd, apiserver };
}

export interface KubeApiServer {
  url: string;
  adminToken: string;
  /** Token of the user bound to the discovery Role (get/list/watch endpointslices in `namespace`). */
  discoveryToken: string;
  /** kubeconfig files for each user (TLS verification off: the serving certificate is self-signed). */
  kubeconfig(user: 'admin' | 'discovery'): string;
  /** One authenticated call, JSON in and out; throws on a non-2xx answer. */
  api<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
  stop(): Promise<void>;
}

const insecure = new Agent({ connect: { rejectUnauthorized: false } });

async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>, logs: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`${what} did not start within ${timeoutMs} ms:\n${logs().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function start(bin: string, args: string[], output: string[]): ChildProcess {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 400) output.splice(0, output.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startKubeApiServer(binaries: { etcd: string; apiserver: string }, namespace: string): Promise<KubeApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'search-mesh-kube-'));
  const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
  const etcdLogs: string[] = [];
  const apiLogs: string[] = [];
  const etcdUrl = `http://127.0.0.1:${etcdClient}`;
  const etcd = start(
    binaries.etcd,
    [
      '--name=test',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=test=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    etcdLogs,
  );
  let apiserver: ChildProcess | undefined;
  const stop = async () => {
    if (apiserver) await stopProcess(apiserver);
    await stopProcess(etcd);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('etcd', 30_000, async () => (await request(`${etcdUrl}/health`)).statusCode === 200, () => etcdLogs.join(''));

    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
    writeFileSync(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const adminToken = randomBytes(16).toString('hex');
    const discoveryToken = randomBytes(16).toString('hex');
    writeFileSync(join(dir, 'tokens.csv'), `${adminToken},admin,1,"system:masters"\n${discoveryToken},discovery,2\n`);

    apiserver = start(
      binaries.apiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${securePort}`,
        `--cert-dir=${join(dir, 'certs')}`,
        `--token-auth-file=${join(dir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        '--anonymous-auth=false',
        '--service-account-issuer=https://kubernetes.default.svc',
        `--service-account-key-file=${join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--enable-priority-and-fairness=false',
        '--disable-admission-plugins=ServiceAccount',
        '--v=0',
      ],
      apiLogs,
    );
    const url = `https://127.0.0.1:${securePort}`;
    const api = async <T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> => {
      const res = await request(url + path, {
        method: method as 'GET',
        dispatcher: insecure,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': contentType, accept: 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) throw new Error(`${method} ${path} answered ${res.statusCode}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };
    await waitFor(
      'kube-apiserver',
      90_000,
      async () => {
        const res = await request(`${url}/readyz`, { dispatcher: insecure, headers: { authorization: `Bearer ${adminToken}` } });
        await res.body.text();
        return res.statusCode === 200;
      },
      () => apiLogs.join(''),
    );

    // The namespace, and the orchestrator chart's Role (get/list/watch endpointslices) bound to "discovery".
    await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    await api('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'orchestrator-endpointslices' },
      rules: [{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }],
    });
    await api('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'orchestrator-endpointslices' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'orchestrator-endpointslices' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'discovery' }],
    });

    const kubeconfig = (user: 'admin' | 'discovery') => {
      const file = join(dir, `kubeconfig-${user}.json`);
      if (!existsSync(file)) {
        writeFileSync(
          file,
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'Config',
            clusters: [{ name: 'test', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
            users: [{ name: user, user: { token: user === 'admin' ? adminToken : discoveryToken } }],
            contexts: [{ name: user, context: { cluster: 'test', user, namespace } }],
            'current-context': user,
          }),
        );
      }
      return file;
    };
    return { url, adminToken, discoveryToken, kubeconfig, api, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
