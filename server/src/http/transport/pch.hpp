// Precompiled header for the transport: the only TUs that include Beast/Asio.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
