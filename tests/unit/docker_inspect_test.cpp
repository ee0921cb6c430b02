// GET /containers/{name}/json as Docker 20.10 answers it (recorded in a lab): the process id
// --from container:NAME enters the network namespace of, and the container's addresses.
#include <gtest/gtest.h>

#include "docker/engine_json.h"
#include "support/docker_fixture.h"

namespace pathwhy {
namespace {

TEST(ContainerInspect, ProcessAddressesAndLabels) {
    const DockerContainer container =
        parse_container_inspect_json(test::docker_fixture("20.10/container_inspect.json"));
    EXPECT_EQ(container.id, "904a12bc26c7d241956a0dd679d90984c99e447cdaa96b936a0837d468c9bbe0");
    EXPECT_EQ(container.name, "backend-45-app-1");  // without the API's leading "/"
    EXPECT_EQ(container.state, "running");
    EXPECT_EQ(container.pid, 6365);
    ASSERT_EQ(container.networks.size(), 1u);
    EXPECT_EQ(container.networks[0].network_name, "backend-45_default");
    ASSERT_TRUE(container.networks[0].ipv4);
    EXPECT_EQ(container.networks[0].ipv4->str(), "172.31.0.2");
    EXPECT_EQ(container.labels.at("com.docker.compose.project"), "backend-45");
}

TEST(ContainerInspect, AStoppedContainerHasNoProcess) {
    const DockerContainer container = parse_container_inspect_json(
        R"({"Id": "abc", "Name": "/web", "State": {"Status": "exited", "Pid": 0}})");
    EXPECT_EQ(container.pid, 0);
    EXPECT_EQ(container.state, "exited");
    EXPECT_TRUE(container.networks.empty());
}

TEST(ContainerInspect, RejectsWhatIsNotAContainer) {
    EXPECT_THROW(parse_container_inspect_json("[]"), EngineJsonError);
    EXPECT_THROW(parse_container_inspect_json(R"({"Name": "/web"})"), EngineJsonError);
}

}  // namespace
}  // namespace pathwhy
