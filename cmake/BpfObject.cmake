# bpf_object(NAME SOURCE [SOURCE ...] [HEADERS ...]): compiles each *.bpf.c SOURCE with clang for
# the BPF target, links them into one object NAME.bpf.o with `bpftool gen object` (so programs
# from several files share maps such as one ring buffer), generates a libbpf skeleton NAME.skel.h
# with bpftool, and exposes an INTERFACE target NAME_skel whose include path has that header.
# Arguments not ending in .bpf.c are HEADERS, listed so the skeleton rebuilds when they change.
find_program(BPF_CLANG NAMES clang clang-14 REQUIRED)
find_program(BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin REQUIRED)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|amd64")
  set(BPF_TARGET_ARCH x86)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  set(BPF_TARGET_ARCH arm64)
else()
  set(BPF_TARGET_ARCH ${CMAKE_SYSTEM_PROCESSOR})
endif()

function(bpf_object name)
  set(sources ${ARGN})
  list(FILTER sources INCLUDE REGEX "\\.bpf\\.c$")
  set(headers ${ARGN})
  list(FILTER headers EXCLUDE REGEX "\\.bpf\\.c$")
  set(object ${CMAKE_CURRENT_BINARY_DIR}/${name}.bpf.o)
  set(skeleton ${CMAKE_CURRENT_BINARY_DIR}/${name}.skel.h)
  set(parts)
  foreach(source ${sources})
    get_filename_component(stem ${source} NAME_WE)
    set(part ${CMAKE_CURRENT_BINARY_DIR}/${name}.${stem}.o)
    add_custom_command(
      OUTPUT ${part}
      COMMAND ${BPF_CLANG} -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_${BPF_TARGET_ARCH}
              -I${CMAKE_CURRENT_SOURCE_DIR} -c ${CMAKE_CURRENT_SOURCE_DIR}/${source} -o ${part}
      DEPENDS ${source} ${headers}
      COMMENT "BPF ${source}")
    list(APPEND parts ${part})
  endforeach()
  add_custom_command(
    OUTPUT ${object}
    COMMAND ${BPFTOOL} gen object ${object} ${parts}
    DEPENDS ${parts}
    COMMENT "BPF link ${name}.bpf.o")
  add_custom_command(
    OUTPUT ${skeleton}
    COMMAND ${BPFTOOL} gen skeleton ${object} name ${name} > ${skeleton}
    DEPENDS ${object}
    COMMENT "skeleton ${name}.skel.h")
  add_custom_target(${name}_skel_gen DEPENDS ${skeleton})
  add_library(${name}_skel INTERFACE)
  add_dependencies(${name}_skel ${name}_skel_gen)
  target_include_directories(${name}_skel INTERFACE ${CMAKE_CURRENT_BINARY_DIR})
  target_link_libraries(${name}_skel INTERFACE PkgConfig::LIBBPF)
endfunction()
