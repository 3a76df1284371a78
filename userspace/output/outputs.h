// outputs.h - the output channels for a list of output configurations.
#pragma once

#include <memory>
#include <vector>

#include "output/output_channel.h"
#include "output/output_config.h"

namespace vigil {

// make_channels - one channel per output, not started; with no outputs,
// one channel on fallback_fd. Throws StartupError when a file cannot be
// opened or libcurl cannot be set up.
std::vector<std::unique_ptr<OutputChannel>>
make_channels(const std::vector<OutputConfig> &outputs, int fallback_fd);

} // namespace vigil
