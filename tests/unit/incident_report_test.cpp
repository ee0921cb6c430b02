// `pathwhy report` on a recording made by hand: seed 000's runner, healthy at first, then a
// compose network takes 172.31.0.0/16 and the peer's connections stop completing, then the
// network goes and they complete again. The report must tell that story in order, from the
// explainer's finding, in every format — with hostile names escaped — and read what it can of a
// damaged file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "common/error.h"
#include "record/recording_writer.h"
#include "report/incident_document.h"
#include "report/incident_json.h"
#include "report/incident_report.h"
#include "support/seed_fixture.h"
#include "support/temp_dir.h"

namespace pathwhy {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kStart = 1667379060LL * kSecond;
const Ipv4Cidr kVpc = *Ipv4Cidr::parse("172.31.0.0/16");
const Ipv4Address kPeer = *Ipv4Address::parse("172.31.151.55");
const Ipv4Address kHost = *Ipv4Address::parse("172.18.2.172");

class Story {
  public:
    // `name` and `project` label the network that takes the VPC's range.
    Story(const std::string& name, const std::string& project) {
        broken_ = test::seed000_snapshot();
        for (auto& network : broken_.docker.networks)
            if (network.bridge_name() == "br-e8395baf4d8b") {
                network.name = name;
                network.labels["com.docker.compose.project"] = project;
                culprit_ = network;
            }
        healthy_ = broken_;
        std::erase_if(healthy_.kernel.routes,
                      [](const Route& route) { return route.destination == kVpc; });
        std::erase_if(healthy_.docker.networks,
                      [&](const DockerNetwork& n) { return n.id == culprit_.id; });
        const Link* bridge = broken_.kernel.link_by_name("br-e8395baf4d8b");
        route_ = *std::find_if(broken_.kernel.routes.begin(), broken_.kernel.routes.end(),
                               [](const Route& r) { return r.destination == kVpc; });
        route_.oif = bridge->ifindex;
    }

    std::vector<Record> records() const {
        SessionInfo session;
        session.pathwhy_version = "0.1.0";
        session.hostname = "ci-runner-7";
        session.watched = {kVpc};
        session.started_unix_ns = kStart;
        session.sources = {{"conntrack events", true, "flows"},
                           {"packet tracer", false, "no BPF here"}};
        DockerEvent created;
        created.type = "network";
        created.action = "create";
        created.actor_id = culprit_.id;
        created.attributes = {{"name", culprit_.name}, {"type", "bridge"}};
        created.network = culprit_;
        DockerEvent destroyed = created;
        destroyed.action = "destroy";
        return {
            {at(0), session},
            {at(0), healthy_},
            {at(5), flow(ConntrackEvent::Type::created, 1, 40001, 1)},
            {at(5) + 1, flow(ConntrackEvent::Type::updated, 1, 40001, 3)},
            {at(60), created},
            {at(60) + 5'000'000, KernelChange{KernelChange::Action::updated, route_}},
            {at(60) + 200'000'000, flow(ConntrackEvent::Type::created, 2, 40002, 2)},
            {at(60) + 300'000'000, broken_},
            {at(61), flow(ConntrackEvent::Type::created, 3, 40003, 2)},
            {at(130), flow(ConntrackEvent::Type::destroyed, 2, 40002, 2)},
            {at(180), destroyed},
            {at(180) + 5'000'000, KernelChange{KernelChange::Action::removed, route_}},
            {at(180) + 300'000'000, healthy_},
            {at(182), flow(ConntrackEvent::Type::created, 4, 40004, 1)},
            {at(182) + 1, flow(ConntrackEvent::Type::updated, 4, 40004, 3)},
            {at(200), RecordingNote{"stopped", "recording stopped by SIGTERM"}},
        };
    }

    const DockerNetwork& culprit() const { return culprit_; }

    static std::int64_t at(int second) { return kStart + second * kSecond; }

  private:
    static ConntrackEvent flow(ConntrackEvent::Type type, std::uint32_t id, std::uint16_t port,
                               std::uint8_t tcp_state) {
        ConntrackEvent event;
        event.type = type;
        event.entry.id = id;
        event.entry.original = {kPeer, kHost, 6, port, 8080};
        event.entry.reply = {kHost, kPeer, 6, 8080, port};
        event.entry.tcp_state = tcp_state;
        return event;
    }

    Snapshot healthy_, broken_;
    DockerNetwork culprit_;
    Route route_;
};

IncidentReport replay(const std::vector<Record>& records) {
    IncidentReportBuilder builder;
    for (const auto& record : records) builder.add(record);
    return builder.finish();
}

std::vector<std::string> kinds(const IncidentSection& section) {
    std::vector<std::string> out;
    for (const auto& entry : section.timeline) out.push_back(entry.kind);
    return out;
}

std::int64_t time_of(const IncidentSection& section, const std::string& kind) {
    for (const auto& entry : section.timeline)
        if (entry.kind == kind) return entry.time_ns;
    ADD_FAILURE() << "no " << kind << " in the timeline";
    return 0;
}

TEST(IncidentReport, TellsTheStoryInOrderFromTheExplainersFinding) {
    const Story story("backend-47_default", "backend-47");
    const IncidentReport report = replay(story.records());
    ASSERT_EQ(report.incidents.size(), 1u);
    const IncidentSection& section = report.incidents[0];
    const Finding& finding = section.incident.finding;
    EXPECT_EQ(finding.kind, "route-into-docker-bridge");
    ASSERT_TRUE(finding.docker_network);
    EXPECT_EQ(finding.docker_network->name, "backend-47_default");
    EXPECT_EQ(section.incident.opened_ns, Story::at(60) + 300'000'000);
    EXPECT_EQ(section.incident.closed_ns, Story::at(180) + 300'000'000);

    EXPECT_EQ(kinds(section),
              (std::vector<std::string>{"last-healthy-traffic", "docker-network-created",
                                        "route-added", "first-failed-connection",
                                        "incident-opened", "docker-network-removed",
                                        "route-removed", "incident-resolved", "healthy-again"}));
    EXPECT_EQ(time_of(section, "last-healthy-traffic"), Story::at(5) + 1);
    EXPECT_EQ(time_of(section, "first-failed-connection"), Story::at(60) + 200'000'000);
    for (const auto& entry : section.timeline)
        if (entry.kind == "docker-network-created") {
            EXPECT_NE(entry.text.find("backend-47_default"), std::string::npos) << entry.text;
            EXPECT_NE(entry.text.find("compose project backend-47"), std::string::npos) << entry.text;
        }
    EXPECT_EQ(section.impact.flows, 2u);  // 40002 and 40003 never completed
    EXPECT_FALSE(section.impact.packets);  // no packet tracer in this recording
    // From the network's creation to the snapshot that found the route gone.
    EXPECT_EQ(section.impact.duration_ns, 120 * kSecond + 300'000'000);
    EXPECT_FALSE(section.impact.ongoing);
    EXPECT_FALSE(finding.fix.empty());
    EXPECT_TRUE(report.complete);

    const auto remark = std::find_if(report.remarks.begin(), report.remarks.end(),
                                     [](const RecordingRemark& r) {
                                         return r.text.find("packet tracer") != std::string::npos;
                                     });
    EXPECT_NE(remark, report.remarks.end()) << "the missing packet tracer is not named";
}

// A packet counts as misrouted by the explainer's own test (misrouted_lookup): a local-table
// address check that names the bridge routes nothing, so the first misrouted packet is the main
// table's lookup into the bridge that follows it.
TEST(IncidentReport, MisroutedPacketsAreTheExplainersMisroutes) {
    const Story story("backend-47_default", "backend-47");
    const int bridge = test::seed000_snapshot().kernel.link_by_name("br-e8395baf4d8b")->ifindex;
    const auto lookup = [&](std::uint32_t table) {
        ObservedEvent event;
        event.kind = ObservedEvent::Kind::route_lookup;
        event.packet = {kHost, kPeer, 6, 40005, 8080};
        event.table = table;
        event.nexthop_ifindex = bridge;
        return event;
    };
    std::vector<Record> records = story.records();
    const auto later = std::find_if(records.begin(), records.end(),
                                    [](const Record& r) { return r.time_unix_ns > Story::at(61); });
    records.insert(later,
                   {{Story::at(62), lookup(kTableLocal)}, {Story::at(63), lookup(kTableMain)}});
    const IncidentReport report = replay(records);
    ASSERT_EQ(report.incidents.size(), 1u);
    EXPECT_EQ(time_of(report.incidents[0], "first-misrouted-packet"), Story::at(63));
}

TEST(IncidentReport, EveryFormatSaysWhatHappened) {
    const Story story("backend-47_default", "backend-47");
    const IncidentReport report = replay(story.records());
    const Document document = incident_document(report);
    for (const std::string& text :
         {render_document_text(document, {}), render_document_markdown(document),
          render_document_html(document, incident_report_title(report)),
          incident_report_to_json(report).dump()}) {
        EXPECT_NE(text.find("route-into-docker-bridge"), std::string::npos);
        EXPECT_NE(text.find("backend-47"), std::string::npos);
        EXPECT_NE(text.find("docker network rm"), std::string::npos);
    }
    const auto json = incident_report_to_json(report);
    EXPECT_EQ(json["incidents"][0]["timeline"][1]["kind"], "docker-network-created");
    EXPECT_EQ(json["incidents"][0]["finding"]["docker_network"]["compose_project"], "backend-47");
    EXPECT_EQ(json["covers"]["complete"], true);
}

std::string outside_code_fences(const std::string& markdown) {
    std::string out, line;
    bool fenced = false;
    for (std::istringstream lines(markdown); std::getline(lines, line);) {
        if (line.starts_with("```")) {
            fenced = !fenced;
            continue;
        }
        if (!fenced) out += line + "\n";
    }
    return out;
}

TEST(IncidentReport, HostileNamesAreShownNeverRun) {
    const std::string script = "<script>alert(1)</script>";
    const Story story(script, "p\"'&<b>x</b>\x1b[31m");
    const IncidentReport report = replay(story.records());
    ASSERT_EQ(report.incidents.size(), 1u);
    const Document document = incident_document(report);

    const std::string html = render_document_html(document, incident_report_title(report));
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<b>x"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("default-src 'none'"), std::string::npos);  // and no script may run
    EXPECT_NE(html.find("<svg"), std::string::npos);

    // Outside code fences (inside them, Markdown shows text as it is, which is what we want).
    const std::string markdown = outside_code_fences(render_document_markdown(document));
    EXPECT_EQ(markdown.find("<script"), std::string::npos);
    EXPECT_EQ(markdown.find("<b>"), std::string::npos);

    const std::string text = render_document_text(document, {});
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << "an escape sequence reached the terminal";

    const auto json = incident_report_to_json(report);
    EXPECT_EQ(json["incidents"][0]["finding"]["docker_network"]["name"], script);
}

TEST(IncidentReport, ADamagedFileGivesAPartialReportThatSaysSo) {
    test::TempDir dir;
    const Story story("backend-47_default", "backend-47");
    const std::string path = dir.file("rec");
    {
        RecordingWriter writer(path, {}, nullptr);
        for (const auto& record : story.records()) {
            writer.append(record);
            writer.flush();
        }
    }
    // Cut off in the middle of the last chunk, as a power loss would.
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size - 20);
    const IncidentReport report = build_incident_report({path});
    EXPECT_FALSE(report.complete);
    EXPECT_TRUE(report.cut_off);
    ASSERT_EQ(report.incidents.size(), 1u);
    const std::string text = render_document_text(incident_document(report), {});
    EXPECT_NE(text.find("the rest of the recording is damaged"), std::string::npos) << text;
    EXPECT_NE(text.find("cut off after"), std::string::npos) << text;
}

TEST(IncidentReport, WithoutItsSessionTheReportSaysWhatIsMissing) {
    const Story story("backend-47_default", "backend-47");
    auto records = story.records();
    records.erase(records.begin());
    try {
        replay(records);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("session record"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace pathwhy
