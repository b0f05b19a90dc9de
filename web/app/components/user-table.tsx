import { Form } from "@remix-run/react";
import type { AdminOverviewQuery } from "../graphql/generated/graphql";
import { formatIst } from "../lib/ist-time";

type User = AdminOverviewQuery["users"][number];
type UserTableProps = { users: User[]; currentUserId: string; busyUserId: string | null };

export function UserTable({ users, currentUserId, busyUserId }: UserTableProps) {
  return (
    <div className="table-wrap">
      <table className="table table-cards" data-testid="user-table">
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
                <td data-label="Email" className="card-title">
                  {u.email}
                </td>
                <td data-label="Role">
                  <span className={u.role === "ADMIN" ? "badge badge-admin" : "badge"}>{u.role}</span>
                </td>
                <td data-label="Status" className="card-key">
                  <span className={active ? "badge badge-ok" : "badge badge-warn"}>{u.status}</span>
                </td>
                <td data-label="Registered (IST)">{formatIst(u.createdAt)}</td>
                <td data-label="Access" className="card-key">
                  {u.id === currentUserId ? (
                    <span className="muted small">You</span>
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="id" value={u.id} />
                      <input type="hidden" name="status" value={active ? "DISABLED" : "ACTIVE"} />
                      <button
                        type="submit"
                        name="intent"
                        value="user-status"
                        className="button button-small"
                        disabled={busyUserId === u.id}
                      >
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
