import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, login, register, Session } from './harness/graphql-client';

const SESSIONS = '{ sessions { id startedAt lastActiveAt expiresAt current } }';
const CHANGE =
  'mutation($i: ChangePasswordInput!) { changePassword(input: $i) { accessToken refreshToken user { email } } }';
const REFRESH = 'mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }';

describe('account: sessions and password change', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const signIn = async (email: string, password: string): Promise<Session> => {
    const res = await login(api.url, email, password);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.login;
  };

  it("should list the caller's live logins, newest first, marking the one the request came with", async () => {
    const laptop = await register(api.url, 'sessions@example.com', 'first-password');
    const phone = await signIn('sessions@example.com', 'first-password');
    // A refresh keeps the login and moves its last activity
    const renewed = (await gql(api.url, REFRESH, { t: laptop.refreshToken })).data!.refreshToken;

    const res = await gql(api.url, SESSIONS, undefined, renewed.accessToken);
    expect(res.errors).toBeUndefined();
    const sessions = res.data!.sessions;
    expect(sessions).toHaveLength(2);
    const current = sessions.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(sessions[0].current).toBe(true); // renewed last, so listed first
    expect(Date.parse(current[0].lastActiveAt)).toBeGreaterThan(Date.parse(current[0].startedAt));
    expect(Date.parse(current[0].expiresAt)).toBeGreaterThan(Date.now() + 86_400_000);

    // Seen from the phone, the phone's login is the current one
    const fromPhone = (await gql(api.url, SESSIONS, undefined, phone.accessToken)).data!.sessions;
    const phoneLogin = fromPhone.find((s: { current: boolean }) => s.current);
    expect(phoneLogin.id).not.toBe(current[0].id);

    // Revoking the phone's login from the laptop: its refresh token stops working, the laptop's does not
    const revoked = await gql(
      api.url,
      'mutation($id: ID!) { revokeSession(id: $id) }',
      { id: phoneLogin.id },
      renewed.accessToken,
    );
    expect(revoked.data!.revokeSession).toBe(true);
    expect(errorCode(await gql(api.url, REFRESH, { t: phone.refreshToken }))).toBe('UNAUTHENTICATED');
    const left = (await gql(api.url, SESSIONS, undefined, renewed.accessToken)).data!.sessions;
    expect(left.map((s: { id: string }) => s.id)).toEqual([current[0].id]);
    expect((await gql(api.url, REFRESH, { t: renewed.refreshToken })).data!.refreshToken.accessToken).toBeTruthy();
  });

  it("should never list or revoke another user's logins", async () => {
    const alice = await register(api.url, 'alice-sessions@example.com');
    const bob = await register(api.url, 'bob-sessions@example.com');
    const [aliceLogin] = (await gql(api.url, SESSIONS, undefined, alice.accessToken)).data!.sessions;
    expect(
      (await gql(api.url, SESSIONS, undefined, bob.accessToken)).data!.sessions.map((s: { id: string }) => s.id),
    ).not.toContain(aliceLogin.id);
    const attempt = await gql(
      api.url,
      'mutation($id: ID!) { revokeSession(id: $id) }',
      { id: aliceLogin.id },
      bob.accessToken,
    );
    expect(attempt.data!.revokeSession).toBe(false);
    expect((await gql(api.url, REFRESH, { t: alice.refreshToken })).data!.refreshToken).toBeTruthy();
    expect(errorCode(await gql(api.url, 'mutation { revokeSession(id: "nope") }', undefined, bob.accessToken))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await gql(api.url, SESSIONS))).toBe('UNAUTHENTICATED');
  });

  it('should change the password only with the right current one, and end every other login', async () => {
    const desk = await register(api.url, 'change-pw@example.com', 'old-password-1');
    const other = await signIn('change-pw@example.com', 'old-password-1');

    const wrong = await gql(
      api.url,
      CHANGE,
      { i: { currentPassword: 'not-it-at-all', newPassword: 'new-password-2' } },
      desk.accessToken,
    );
    // Not UNAUTHENTICATED: the session is fine, the field is wrong (the dashboard would sign the user out otherwise)
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
    expect(wrong.errors![0].extensions!.details).toEqual([
      { path: 'currentPassword', message: 'The current password is not right' },
    ]);
    expect(
      errorCode(
        await gql(
          api.url,
          CHANGE,
          { i: { currentPassword: 'old-password-1', newPassword: 'short' } },
          desk.accessToken,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      errorCode(
        await gql(
          api.url,
          CHANGE,
          { i: { currentPassword: 'old-password-1', newPassword: 'old-password-1' } },
          desk.accessToken,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect((await login(api.url, 'change-pw@example.com', 'old-password-1')).data).toBeTruthy();

    const changed = await gql(
      api.url,
      CHANGE,
      { i: { currentPassword: 'old-password-1', newPassword: 'new-password-2' } },
      desk.accessToken,
    );
    expect(changed.errors).toBeUndefined();
    const fresh = changed.data!.changePassword;
    expect(fresh.user.email).toBe('change-pw@example.com');

    expect(errorCode(await login(api.url, 'change-pw@example.com', 'old-password-1'))).toBe('UNAUTHENTICATED');
    expect((await login(api.url, 'change-pw@example.com', 'new-password-2')).data!.login.accessToken).toBeTruthy();
    // Every login made before the change is over (a thief's too); the caller carries on in the new one
    expect(errorCode(await gql(api.url, REFRESH, { t: other.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(api.url, REFRESH, { t: desk.refreshToken }))).toBe('UNAUTHENTICATED');
    const sessions = (await gql(api.url, SESSIONS, undefined, fresh.accessToken)).data!.sessions;
    expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect((await gql(api.url, REFRESH, { t: fresh.refreshToken })).data!.refreshToken).toBeTruthy();
  });

  it('should stop checking current passwords after five wrong ones', async () => {
    const user = await register(api.url, 'guess-pw@example.com', 'right-password-1');
    for (let i = 0; i < 5; i += 1) {
      const res = await gql(
        api.url,
        CHANGE,
        { i: { currentPassword: `guess-${i}-xxxx`, newPassword: 'new-password-9' } },
        user.accessToken,
      );
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
    }
    const limited = await gql(
      api.url,
      CHANGE,
      { i: { currentPassword: 'right-password-1', newPassword: 'new-password-9' } },
      user.accessToken,
    );
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect((await login(api.url, 'guess-pw@example.com', 'right-password-1')).data).toBeTruthy();
  });
});
