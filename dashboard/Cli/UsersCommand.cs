using System.CommandLine;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>users add NAME --role ROLE</c> and <c>users list</c>: staff accounts of a data directory.</summary>
public static class UsersCommand
{
    private static readonly Argument<string> Name = new("name") { Description = "The user name staff sign in with" };

    private static readonly Option<string> Role = new("--role") { Description = "Admin, Analyst or Viewer", Required = true };

    private static readonly Option<bool> ResetPassword = new("--reset-password") { Description = "If the user exists, give it a new generated password (and lift a lockout)" };

    internal static Command Create()
    {
        Role.AcceptOnlyFromAmong([.. StaffRoles.All]);
        var add = new Command("add", "Create a user with a role; prints a generated password once (it is stored only hashed)");
        add.Arguments.Add(Name);
        add.Options.Add(Role);
        add.Options.Add(ResetPassword);
        add.SetAction(async (result, ct) =>
        {
            await using var services = await CliHost.OpenAsync(result.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            var name = result.GetValue(Name)!.Trim();
            var role = result.GetValue(Role)!;
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var existing = await users.FindByNameAsync(name);
            if (existing is not null && !(await users.GetRolesAsync(existing)).Contains(role))
            {
                await Console.Error.WriteLineAsync($"user {name} exists with another role; roles are changed in the dashboard's user management");
                return 2;
            }

            try
            {
                var password = await scope.ServiceProvider.GetRequiredService<AccountBootstrap>().EnsureAsync(name, role, result.GetValue(ResetPassword));
                await Console.Out.WriteLineAsync(password is null
                    ? $"user {name} ({role}) already exists; use --reset-password for a new password"
                    : $"user {name} ({role}) password: {password}");
                return 0;
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
        });

        var list = new Command("list", "List users: name, roles, locked out or not");
        list.SetAction(async (result, ct) =>
        {
            await using var services = await CliHost.OpenAsync(result.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            foreach (var user in await users.Users.OrderBy(u => u.UserName).ToListAsync(ct))
            {
                var locked = await users.IsLockedOutAsync(user) ? "  (locked out)" : string.Empty;
                await Console.Out.WriteLineAsync($"{user.UserName}\t{string.Join(",", await users.GetRolesAsync(user))}{locked}");
            }

            return 0;
        });

        var command = new Command("users", "Staff accounts");
        command.Subcommands.Add(add);
        command.Subcommands.Add(list);
        return command;
    }
}
