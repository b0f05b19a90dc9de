// The demo's calls to the api, exactly as any client makes them: GraphQL over HTTP and the TradingView webhook.
export function apiClient(baseUrl) {
  async function graphql(query, variables, token) {
    const res = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (body.errors?.length) {
      const error = new Error(body.errors.map((e) => e.message).join('; '));
      error.code = body.errors[0].extensions?.code;
      throw error;
    }
    return body.data;
  }

  async function webhook(alert) {
    const res = await fetch(`${baseUrl}/api/webhook/tradingview`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' }, // as TradingView sends it
      body: typeof alert === 'string' ? alert : JSON.stringify(alert),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  return { graphql, webhook };
}

const AUTH = 'accessToken user { id email }';

// Signs the demo user in, registering it on the first run
export async function signIn(api, email, password) {
  try {
    return (await api.graphql(`mutation($i: LoginInput!) { login(input: $i) { ${AUTH} } }`, { i: { email, password } }))
      .login;
  } catch {
    return (
      await api.graphql(`mutation($i: RegisterInput!) { register(input: $i) { ${AUTH} } }`, { i: { email, password } })
    ).register;
  }
}

// One strategy by name (created on the first run), deployed again so this run knows its webhook secret
export async function deployedStrategy(api, token, input) {
  const { strategies } = await api.graphql('{ strategies { id name enabled } }', undefined, token);
  let strategy = strategies.find((s) => s.name === input.name);
  if (!strategy) {
    strategy = (
      await api.graphql(
        'mutation($i: StrategyInput!) { createStrategy(input: $i) { id name enabled } }',
        { i: input },
        token,
      )
    ).createStrategy;
  } else {
    await api.graphql(
      'mutation($id: ID!, $p: StrategyPatch!) { updateStrategy(id: $id, input: $p) { id } }',
      { id: strategy.id, p: { alertsPerMinute: input.alertsPerMinute } },
      token,
    );
    if (!strategy.enabled)
      await api.graphql(
        'mutation($id: ID!) { toggleStrategy(id: $id, enabled: true) { id } }',
        { id: strategy.id },
        token,
      );
  }
  const { deployStrategy } = await api.graphql(
    'mutation($id: ID!) { deployStrategy(id: $id) { webhookSecret } }',
    { id: strategy.id },
    token,
  );
  return { ...input, id: strategy.id, secret: deployStrategy.webhookSecret };
}

export async function executionCounts(api, token) {
  const { executions } = await api.graphql(
    '{ executions(first: 50) { totalCount edges { node { strategyId status mode } } } }',
    undefined,
    token,
  );
  const counts = {};
  for (const { node } of executions.edges) {
    const key = `${node.mode}:${node.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return { total: executions.totalCount, recent: counts };
}
