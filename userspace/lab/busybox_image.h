// The one image lab containers run: busybox-static's /bin/busybox in an otherwise empty root
// filesystem, imported with `docker import` because no registry is reachable from a lab.
#pragma once

#include <string_view>

#include "lab/dockerd.h"

namespace pathwhy::lab {

inline constexpr std::string_view kBusyboxImage = "pw-busybox:latest";

// Builds DIR/rootfs from the machine's /bin/busybox and imports it as kBusyboxImage.
void import_busybox_image(const LabDockerd& dockerd);

}  // namespace pathwhy::lab
