// Minimal GraphQL-over-HTTP calls the benches need to set up a deployed paper strategy.
'use strict';

async function gql(apiUrl, query, variables, token) {
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function login(apiUrl, email, password) {
  const data = await gql(apiUrl, 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', {
    i: { email, password },
  });
  return data.login.accessToken;
}

// A PAPER strategy on RELIANCE with the per-strategy alert rate limit raised out of the way, deployed
async function deployedStrategy(apiUrl, token, name) {
  const created = await gql(
    apiUrl,
    'mutation($i: StrategyInput!) { createStrategy(input: $i) { id } }',
    { i: { name, symbol: 'RELIANCE', timeframe: '5', qty: '1', mode: 'PAPER', alertsPerMinute: 1_000_000 } },
    token,
  );
  const id = created.createStrategy.id;
  const deployed = await gql(
    apiUrl,
    'mutation($id: ID!) { deployStrategy(id: $id) { webhookSecret webhookUrl } }',
    { id },
    token,
  );
  return { id, secret: deployed.deployStrategy.webhookSecret, webhookUrl: deployed.deployStrategy.webhookUrl };
}

async function executionCount(apiUrl, token, strategyId) {
  const data = await gql(
    apiUrl,
    'query($f: ExecutionFilter) { executions(filter: $f, first: 1) { totalCount } }',
    { f: { strategyId } },
    token,
  );
  return data.executions.totalCount;
}

module.exports = { gql, login, deployedStrategy, executionCount };
