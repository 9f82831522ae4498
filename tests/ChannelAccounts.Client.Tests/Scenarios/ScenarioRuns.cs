using ChannelAccounts.Client.Tests.Infrastructure;

namespace ChannelAccounts.Client.Tests.Scenarios;

public sealed class EngineSqliteScenarios(EngineSqliteWorld world) : OrganizationServiceScenarios(world), IClassFixture<EngineSqliteWorld>;

public sealed class EnginePostgresScenarios(EnginePostgresWorld world) : OrganizationServiceScenarios(world), IClassFixture<EnginePostgresWorld>;

public sealed class HttpSqliteScenarios(HttpSqliteWorld world) : OrganizationServiceScenarios(world), IClassFixture<HttpSqliteWorld>;

public sealed class HttpPostgresScenarios(HttpPostgresWorld world) : OrganizationServiceScenarios(world), IClassFixture<HttpPostgresWorld>;
