// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C interface of armnn_shim.h over Arm NN 20.08's C++ API.
 *
 * One IRuntime per process: dynamic backends register themselves in a
 * process-wide registry when a runtime loads them and leave it when that
 * runtime goes, so a second runtime would unload code the first still
 * runs.  The runtime serialises LoadNetwork and keeps each loaded network
 * behind its own lock, so workers load and run their own networks
 * concurrently; one network is never run by two threads (it crashed).
 *
 * Nothing here throws: every Arm NN exception becomes an errno and a
 * message.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include "armnn_shim.h"

#include <armnn/ArmNN.hpp>
#include <armnn/BackendRegistry.hpp>
#include <armnn/Utils.hpp>
#include <armnn/Version.hpp>
#include <armnnTfLiteParser/ITfLiteParser.hpp>

#include <dlfcn.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#ifndef EDGEAID_MULTIARCH
#define EDGEAID_MULTIARCH ""
#endif

namespace {

armnn::IRuntime *g_runtime;
std::string g_backend_dir;
std::mutex g_lock;

void set_err(char *err, size_t errlen, const std::string &msg)
{
	if (!err || !errlen)
		return;
	size_t n = std::min(errlen - 1, msg.size());

	memcpy(err, msg.data(), n);
	err[n] = 0;
}

/* Optimize() for @backends; on failure, null, with its messages in @err. */
armnn::IOptimizedNetworkPtr optimize(const armnn::INetwork &network,
				     const std::vector<armnn::BackendId> &backends,
				     char *err, size_t errlen)
{
	std::vector<std::string> messages;
	armnn::IOptimizedNetworkPtr opt =
		armnn::Optimize(network, backends, g_runtime->GetDeviceSpec(),
				armnn::OptimizerOptions(),
				armnn::Optional<std::vector<std::string> &>(messages));

	if (!opt) {
		std::string msg = "optimisation failed";

		for (const auto &m : messages)
			msg += "; " + m;
		set_err(err, errlen, msg);
	}
	return opt;
}

bool is_dir(const std::string &path)
{
	struct stat st;

	return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Where the dynamic backends are: Debian installs them in armnn<soname>
 * next to libarmnn, but the path compiled into 20.08 names another
 * folder, so we always tell the runtime.  First the folder next to the
 * library as loaded, then the multiarch one.
 */
std::string find_backend_dir()
{
	std::string sub = "armnn" STRINGIFY_VALUE(ARMNN_MAJOR_VERSION);
	Dl_info info;

	if (dladdr(reinterpret_cast<void *>(&armnn::IRuntime::Create), &info) &&
	    info.dli_fname) {
		std::string lib = info.dli_fname;
		size_t slash = lib.rfind('/');

		if (slash != std::string::npos && is_dir(lib.substr(0, slash + 1) + sub))
			return lib.substr(0, slash + 1) + sub;
	}
	if (*EDGEAID_MULTIARCH) {
		std::string d = std::string("/usr/lib/") + EDGEAID_MULTIARCH + "/" + sub;

		if (is_dir(d))
			return d;
	}
	return "";
}

uint32_t shim_type(armnn::DataType t)
{
	switch (t) {
	case armnn::DataType::Float32:
		return ARMNN_SHIM_FLOAT32;
	case armnn::DataType::Float16:
		return ARMNN_SHIM_FLOAT16;
	case armnn::DataType::Signed32:
		return ARMNN_SHIM_INT32;
	case armnn::DataType::QAsymmU8:
		return ARMNN_SHIM_UINT8;
	case armnn::DataType::QAsymmS8:
	case armnn::DataType::QSymmS8:
		return ARMNN_SHIM_INT8;
	default:
		return ARMNN_SHIM_OTHER;
	}
}

void describe(const std::string &name, const armnn::TensorInfo &info,
	      armnn_shim_tensor *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name.c_str());
	t->type = shim_type(info.GetDataType());
	t->bytes = info.GetNumBytes();
	t->ndims = std::min<unsigned int>(info.GetNumDimensions(), ARMNN_SHIM_MAX_DIMS);
	for (unsigned int i = 0; i < t->ndims; i++)
		t->shape[i] = info.GetShape()[i];
}

} // namespace

struct armnn_shim_net {
	armnn::NetworkId id;
	std::vector<armnn::BindingPointInfo> in_bind, out_bind;
	std::vector<armnn_shim_tensor> in, out;
	std::string placement;
};

extern "C" {

int armnn_shim_built(void)
{
	return 1;
}

const char *armnn_shim_version(void)
{
	return ARMNN_VERSION;
}

int armnn_shim_init(const char *backend_dir, int verbose, char *err, size_t errlen)
{
	std::lock_guard<std::mutex> guard(g_lock);

	if (g_runtime)
		return 0;
	try {
		armnn::ConfigureLogging(true, false, verbose ? armnn::LogSeverity::Warning
							     : armnn::LogSeverity::Fatal);
		armnn::IRuntime::CreationOptions opts;

		g_backend_dir = backend_dir && *backend_dir ? backend_dir : find_backend_dir();
		opts.m_DynamicBackendsPath = g_backend_dir;
		g_runtime = armnn::IRuntime::CreateRaw(opts);
	} catch (const std::exception &e) {
		set_err(err, errlen, std::string("Arm NN runtime: ") + e.what());
		return -EIO;
	}
	if (!g_runtime) {
		set_err(err, errlen, "Arm NN runtime could not be created");
		return -EIO;
	}
	return 0;
}

void armnn_shim_exit(void)
{
	std::lock_guard<std::mutex> guard(g_lock);

	if (g_runtime)
		armnn::IRuntime::Destroy(g_runtime);
	g_runtime = nullptr;
}

const char *armnn_shim_backend_dir(void)
{
	return g_backend_dir.c_str();
}

int armnn_shim_backends(char (*names)[ARMNN_SHIM_NAME_LEN], int max)
{
	if (!g_runtime)
		return 0;
	std::set<std::string> ids;

	for (const auto &id : g_runtime->GetDeviceSpec().GetSupportedBackends())
		ids.insert(id.Get());
	int n = 0;

	for (const auto &id : ids) {
		if (n < max)
			snprintf(names[n], ARMNN_SHIM_NAME_LEN, "%s", id.c_str());
		n++;
	}
	return n;
}

int armnn_shim_has_backend(const char *backend)
{
	if (!g_runtime)
		return 0;
	const auto &ids = g_runtime->GetDeviceSpec().GetSupportedBackends();

	return ids.find(armnn::BackendId(backend)) != ids.end();
}

int armnn_shim_backend_error(const char *backend, char *err, size_t errlen)
{
	if (armnn_shim_has_backend(backend))
		return 0;
	auto &registry = armnn::BackendRegistryInstance();

	if (!registry.IsBackendRegistered(backend)) {
		set_err(err, errlen, std::string("no backend ") + backend + " (not built in, and no " +
			"dynamic backend of that name loaded from " +
			(g_backend_dir.empty() ? "nowhere" : g_backend_dir) + ")");
		return -ENOENT;
	}
	set_err(err, errlen, std::string(backend) + " is registered but the runtime did not take it");
	return -ENODEV;
}

int armnn_shim_try_backend(const char *backend, char *err, size_t errlen)
{
	int ret = armnn_shim_backend_error(backend, err, errlen);

	if (ret)
		return ret;
	try {
		armnn::INetworkPtr network = armnn::INetwork::Create();
		armnn::ActivationDescriptor relu;
		armnn::TensorInfo info(armnn::TensorShape({ 1, 16 }), armnn::DataType::Float32);
		std::vector<armnn::BackendId> backends = { armnn::BackendId(backend) };
		float in[16], out[16];
		armnn::NetworkId id;
		std::string why;

		relu.m_Function = armnn::ActivationFunction::ReLu;
		armnn::IConnectableLayer *input = network->AddInputLayer(0);
		armnn::IConnectableLayer *act = network->AddActivationLayer(relu);
		armnn::IConnectableLayer *output = network->AddOutputLayer(0);

		input->GetOutputSlot(0).Connect(act->GetInputSlot(0));
		act->GetOutputSlot(0).Connect(output->GetInputSlot(0));
		input->GetOutputSlot(0).SetTensorInfo(info);
		act->GetOutputSlot(0).SetTensorInfo(info);
		armnn::IOptimizedNetworkPtr opt = optimize(*network, backends, err, errlen);

		if (!opt)
			return -EINVAL;
		if (g_runtime->LoadNetwork(id, std::move(opt), why) != armnn::Status::Success) {
			set_err(err, errlen, "LoadNetwork: " + why);
			return -EINVAL;
		}
		for (int i = 0; i < 16; i++)
			in[i] = static_cast<float>(i - 8);
		armnn::InputTensors inputs{ { 0, armnn::ConstTensor(
					g_runtime->GetInputTensorInfo(id, 0), in) } };
		armnn::OutputTensors outputs{ { 0, armnn::Tensor(
					g_runtime->GetOutputTensorInfo(id, 0), out) } };
		armnn::Status st = g_runtime->EnqueueWorkload(id, inputs, outputs);

		g_runtime->UnloadNetwork(id);
		if (st != armnn::Status::Success) {
			set_err(err, errlen, "EnqueueWorkload failed");
			return -EIO;
		}
		for (int i = 0; i < 16; i++) {
			if (out[i] != std::max(in[i], 0.0f)) {
				set_err(err, errlen, "a ReLU on " + std::string(backend) +
					" gave a wrong result");
				return -EIO;
			}
		}
	} catch (const std::exception &e) {
		set_err(err, errlen, e.what());
		return -EIO;
	}
	return 0;
}

int armnn_shim_load(const void *model, size_t len, const char *const *prefs,
		    unsigned int nr_prefs, struct armnn_shim_net **out,
		    char *err, size_t errlen)
{
	armnn_shim_net *net = nullptr;

	if (!g_runtime) {
		set_err(err, errlen, "Arm NN runtime not initialised");
		return -ENODEV;
	}
	try {
		auto parser = armnnTfLiteParser::ITfLiteParser::Create();
		const uint8_t *bytes = static_cast<const uint8_t *>(model);
		std::vector<uint8_t> content(bytes, bytes + len);
		armnn::INetworkPtr network = parser->CreateNetworkFromBinary(content);
		std::vector<armnn::BackendId> backends;

		for (unsigned int i = 0; i < nr_prefs; i++)
			backends.emplace_back(prefs[i]);
		armnn::IOptimizedNetworkPtr opt = optimize(*network, backends, err, errlen);

		if (!opt)
			return -EINVAL;

		net = new armnn_shim_net();
		/* Which backends the layers went to, from the graph's dot form. */
		std::ostringstream dot;
		std::set<std::string> used;

		opt->SerializeToDot(dot);
		std::string text = dot.str();
		const std::string key = "BackendID : ";

		for (size_t pos = 0; (pos = text.find(key, pos)) != std::string::npos;) {
			pos += key.size();
			size_t end = text.find_first_of("\\\"\n ", pos);
			used.insert(text.substr(pos, end - pos));
		}
		for (const auto &b : used)
			net->placement += (net->placement.empty() ? "" : ",") + b;

		for (const auto &name : parser->GetSubgraphInputTensorNames(0)) {
			net->in_bind.push_back(parser->GetNetworkInputBindingInfo(0, name));
			net->in.emplace_back();
			describe(name, net->in_bind.back().second, &net->in.back());
		}
		for (const auto &name : parser->GetSubgraphOutputTensorNames(0)) {
			net->out_bind.push_back(parser->GetNetworkOutputBindingInfo(0, name));
			net->out.emplace_back();
			describe(name, net->out_bind.back().second, &net->out.back());
		}

		std::string why;

		if (g_runtime->LoadNetwork(net->id, std::move(opt), why) != armnn::Status::Success) {
			set_err(err, errlen, "LoadNetwork: " + why);
			delete net;
			return -EINVAL;
		}
	} catch (const std::exception &e) {
		set_err(err, errlen, e.what());
		delete net;
		return -EINVAL;
	}
	*out = net;
	return 0;
}

void armnn_shim_unload(struct armnn_shim_net *net)
{
	if (!net)
		return;
	try {
		if (g_runtime)
			g_runtime->UnloadNetwork(net->id);
	} catch (const std::exception &) {
		/* Nothing more to do with it either way. */
	}
	delete net;
}

unsigned int armnn_shim_nr_inputs(const struct armnn_shim_net *net)
{
	return static_cast<unsigned int>(net->in.size());
}

unsigned int armnn_shim_nr_outputs(const struct armnn_shim_net *net)
{
	return static_cast<unsigned int>(net->out.size());
}

const struct armnn_shim_tensor *armnn_shim_input(const struct armnn_shim_net *net,
						 unsigned int i)
{
	return i < net->in.size() ? &net->in[i] : nullptr;
}

const struct armnn_shim_tensor *armnn_shim_output(const struct armnn_shim_net *net,
						  unsigned int i)
{
	return i < net->out.size() ? &net->out[i] : nullptr;
}

const char *armnn_shim_placement(const struct armnn_shim_net *net)
{
	return net->placement.c_str();
}

int armnn_shim_run(struct armnn_shim_net *net, const void *const *in,
		   void *const *out, char *err, size_t errlen)
{
	try {
		armnn::InputTensors inputs;
		armnn::OutputTensors outputs;

		for (size_t i = 0; i < net->in_bind.size(); i++)
			inputs.emplace_back(net->in_bind[i].first,
					    armnn::ConstTensor(net->in_bind[i].second, in[i]));
		for (size_t i = 0; i < net->out_bind.size(); i++)
			outputs.emplace_back(net->out_bind[i].first,
					     armnn::Tensor(net->out_bind[i].second, out[i]));
		if (g_runtime->EnqueueWorkload(net->id, inputs, outputs) != armnn::Status::Success) {
			set_err(err, errlen, "EnqueueWorkload failed");
			return -EIO;
		}
	} catch (const std::exception &e) {
		set_err(err, errlen, e.what());
		return -EIO;
	}
	return 0;
}

} // extern "C"
