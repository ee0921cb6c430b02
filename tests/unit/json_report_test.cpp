// The --json contract that scripts rely on: field names and value types, on seed 000.
#include <gtest/gtest.h>

#include "explain/explainer.h"
#include "report/json_report.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

using nlohmann::json;

json seed000_json() {
    Snapshot snapshot = test::seed000_snapshot();
    Diagnosis d = explain_destination(snapshot, *Ipv4Address::parse("172.31.151.55"));
    DiagnosisContext context{"pw-host", DockerStatus::ok, "unix:///var/run/docker.sock", "20.10.24", ""};
    // Round-trip through text, as a script would read it.
    return json::parse(diagnosis_to_json(d, context).dump());
}

TEST(JsonReport, TopLevelFields) {
    json j = seed000_json();
    EXPECT_EQ(j["destination"], "172.31.151.55");
    EXPECT_EQ(j["verdict"], "misrouted");
    EXPECT_TRUE(j["summary"].is_string());
    EXPECT_TRUE(j["findings"].is_array());
    EXPECT_TRUE(j["notes"].is_array());
    EXPECT_EQ(j["netns"], "pw-host");
    EXPECT_EQ(j["docker"]["status"], "ok");
    EXPECT_EQ(j["docker"]["version"], "20.10.24");
    EXPECT_TRUE(j["docker"]["error"].is_null());
    EXPECT_TRUE(j["kernel_route"].is_null());
}

TEST(JsonReport, RouteFields) {
    json route = seed000_json()["route"];
    EXPECT_EQ(route["table"], "main");
    EXPECT_EQ(route["prefix"], "172.31.0.0/16");
    EXPECT_EQ(route["dev"], "br-e8395baf4d8b");
    EXPECT_TRUE(route["gateway"].is_null());
    EXPECT_EQ(route["src"], "172.31.0.1");
    EXPECT_EQ(route["type"], "unicast");
}

TEST(JsonReport, FindingFields) {
    json findings = seed000_json()["findings"];
    ASSERT_GE(findings.size(), 2u);
    const json& first = findings[0];
    EXPECT_EQ(first["kind"], "route-into-docker-bridge");
    EXPECT_EQ(first["severity"], "critical");
    EXPECT_TRUE(first["summary"].is_string());
    for (const char* list : {"evidence", "fix", "prevent"}) {
        ASSERT_TRUE(first[list].is_array()) << list;
        EXPECT_FALSE(first[list].empty()) << list;
        for (const auto& line : first[list]) EXPECT_TRUE(line.is_string());
    }
    const json& network = first["docker_network"];
    EXPECT_EQ(network["id"], "e8395baf4d8b");
    EXPECT_EQ(network["bridge"], "br-e8395baf4d8b");
    EXPECT_EQ(network["subnet"], "172.31.0.0/16");
    EXPECT_EQ(network["compose_project"], "brisbane-office-industry-data-management-system-back-end-47");
    EXPECT_TRUE(network["containers"].is_array());
    EXPECT_TRUE(network["created"].is_string());
    for (const auto& finding : findings)
        EXPECT_TRUE(finding["docker_network"].is_object() || finding["docker_network"].is_null());
}

TEST(JsonReport, HealthyDiagnosisHasNoFindingsAndNullKernelRoute) {
    Snapshot snapshot;
    snapshot.kernel = test::kernel_state_from_ip_route("default via 10.0.0.1 dev eth0\n");
    Diagnosis d = explain_destination(snapshot, *Ipv4Address::parse("8.8.8.8"));
    json j = diagnosis_to_json(d, DiagnosisContext{});
    EXPECT_EQ(j["verdict"], "ok");
    EXPECT_TRUE(j["findings"].empty());
    EXPECT_TRUE(j["netns"].is_null());
    EXPECT_EQ(j["route"]["gateway"], "10.0.0.1");
    EXPECT_EQ(j["docker"]["status"], "absent");
}

}  // namespace
}  // namespace pathwhy
