import { Form } from "@remix-run/react";
import type { AdminOverviewQuery } from "../graphql/generated/graphql";
import { formatIst } from "../lib/ist-time";

type User = AdminOverviewQuery["users"][number];
type UserTableProps = { users: User[]; currentUserId: string; busyUserId: string | null };

export function UserTable({ users, currentUserId, busyUserId }: UserTableProps) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="user-table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Registered (IST)</th>
            <th scope="col">Access</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => {
            const active = u.status === "ACTIVE";
            return (
              <tr key={u.id} data-user-email={u.email}>
                <td>{u.email}</td>
                <td>
                  <span className={u.role === "ADMIN" ? "badge badge-admin" : "badge"}>{u.role}</span>
                </td>
                <td>
                  <span className={active ? "badge badge-ok" : "badge badge-warn"}>{u.status}</span>
                </td>
                <td>{formatIst(u.createdAt)}</td>
                <td>
                  {u.id === currentUserId ? (
                    <span className="muted small">You</span>
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="id" value={u.id} />
                      <input type="hidden" name="status" value={active ? "DISABLED" : "ACTIVE"} />
                      <button type="submit" name="intent" value="user-status" className="button button-small" disabled={busyUserId === u.id}>
                        {active ? "Disable" : "Enable"}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
