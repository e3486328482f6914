// Validates Kubernetes objects against the schemas of the kubernetes-models family, as published:
// built-in kinds (kubernetes-models), Istio (@kubernetes-models/istio), Flux
// (@kubernetes-models/flux-cd) and prometheus-operator (@kubernetes-models/prometheus-operator).
// Those packages are ESM with import-only export maps, which jest's CommonJS runtime cannot load,
// so the tests run this script with plain Node, like any other tool.
//
// stdin: a JSON array of objects. stdout: a JSON array, one entry per object, each a list of
// problems (empty when the object is valid). An object whose apiVersion/kind none of the packages
// knows gets the problem "no schema", so nothing passes unchecked.
const PACKAGES = [
  'kubernetes-models',
  '@kubernetes-models/istio',
  '@kubernetes-models/flux-cd',
  '@kubernetes-models/prometheus-operator',
];

const MISSING = new Set(['ERR_PACKAGE_PATH_NOT_EXPORTED', 'ERR_MODULE_NOT_FOUND']);

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  for (const pkg of PACKAGES) {
    const specifier = `${pkg}/${group ? `${group}/` : ''}${version}/${kind}`;
    try {
      const mod = await import(specifier);
      if (typeof mod[kind] === 'function') return mod[kind];
    } catch (error) {
      if (!MISSING.has(error.code)) throw error;
    }
  }
  return undefined;
}

async function check(object) {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    return ['is not an object'];
  }
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return ['has no apiVersion or kind'];
  }
  const Model = await modelFor(apiVersion, kind);
  if (!Model) return [`no schema for ${apiVersion} ${kind} in ${PACKAGES.join(', ')}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    if (!Array.isArray(error.errors)) throw error;
    return error.errors.map(e => `${e.instancePath || '/'} ${e.message}`);
  }
}

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const objects = JSON.parse(input);
const results = [];
for (const object of objects) results.push(await check(object));
process.stdout.write(JSON.stringify(results));
