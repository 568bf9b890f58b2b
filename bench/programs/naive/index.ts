// Benchmark baseline: a Vobiz credential provider written the way Pulumi's documentation writes a
// dynamic provider (https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/): the
// implementation lives in the program and is captured by value in each resource's serialized
// provider, every call builds a new axios client, nothing is retried, and `read` fetches the
// whole list (default page size) every time and looks for its id. Connection settings come
// from VOBIZ_AUTH_ID, VOBIZ_AUTH_TOKEN and VOBIZ_BASE_URL of the process running `pulumi`.
// Kept under bench/ only, as a point of comparison; not part of the package.
import * as pulumi from "@pulumi/pulumi";
import axios from "axios";
import * as fs from "fs";

interface BenchSpec {
  n: number;
  renamed: number;
}

interface ApiCredential {
  id: string;
  username: string;
  enabled?: boolean;
  realm?: string;
  created_at?: string;
}

function newClient() {
  return axios.create({
    baseURL: process.env.VOBIZ_BASE_URL,
    headers: {
      "X-Auth-ID": process.env.VOBIZ_AUTH_ID ?? "",
      "X-Auth-Token": process.env.VOBIZ_AUTH_TOKEN ?? "",
      "Content-Type": "application/json",
    },
  });
}

function accountPath(): string {
  return `/account/${process.env.VOBIZ_AUTH_ID}`;
}

const naiveProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    const replaces = olds.username !== news.username ? ["username"] : [];
    return { changes: replaces.length > 0 || olds.password !== news.password, replaces };
  },
  async create(inputs) {
    const client = newClient();
    const res = await client.post<ApiCredential>(`${accountPath()}/credentials`, {
      username: inputs.username,
      password: inputs.password,
    });
    return {
      id: res.data.id,
      outs: { ...inputs, enabled: res.data.enabled, realm: res.data.realm, createdAt: res.data.created_at },
    };
  },
  async read(id, props) {
    const client = newClient();
    const all: ApiCredential[] = [];
    for (let offset = 0; ;) {
      const res = await client.get<{ objects: ApiCredential[] }>(`${accountPath()}/trunks/credentials`, {
        params: { offset },
      });
      all.push(...res.data.objects);
      offset += res.data.objects.length;
      if (res.data.objects.length === 0 || res.data.objects.length < 20) break;
    }
    const found = all.find((c) => c.id === id);
    if (!found) return {};
    return { id, props: { ...props, username: found.username, enabled: found.enabled } };
  },
  async update(id, _olds, news) {
    const client = newClient();
    const res = await client.put<ApiCredential>(`${accountPath()}/credentials/${id}`, {
      password: news.password,
    });
    return { outs: { ...news, enabled: res.data.enabled, realm: res.data.realm } };
  },
  async delete(id) {
    const client = newClient();
    await client.delete(`${accountPath()}/credentials/${id}`);
  },
};

class NaiveCredential extends pulumi.dynamic.Resource {
  constructor(name: string, args: { username: string; password: pulumi.Input<string> }) {
    super(
      naiveProvider,
      name,
      { username: args.username, password: pulumi.secret(args.password), realm: undefined },
      { additionalSecretOutputs: ["password"] },
      "bench",
      "NaiveCredential",
    );
  }
}

const spec = JSON.parse(fs.readFileSync("bench.json", "utf8")) as BenchSpec;
const base = new pulumi.Config().requireSecret("benchPassword");

for (let i = 0; i < spec.n; i++) {
  const username = i < spec.renamed ? `bench_${i}_r` : `bench_${i}`;
  new NaiveCredential(`c${i}`, { username, password: base.apply((p) => `${p}-${i}`) });
}
