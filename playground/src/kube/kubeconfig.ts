/** A kubeconfig for the emulator, in the format kubectl and client libraries read. */
import yaml from 'js-yaml';

export function kubeconfigYaml(
  server: string,
  token: string,
  caPem: string,
  contextName = 'aviary-playground',
): string {
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contextName,
    clusters: [
      {
        name: contextName,
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: contextName, user: { token } }],
    contexts: [
      {
        name: contextName,
        context: { cluster: contextName, user: contextName, namespace: 'default' },
      },
    ],
    preferences: {},
  });
}
