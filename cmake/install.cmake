# install.cmake - what `make install` (and the Debian packages) put where:
# the binary, the rule pack and policies, the man pages and shell completion
# (written by the built postern from its command table, src/cli/cmdtable.c,
# so they list what the parser takes), the systemd units, the system user
# (sysusers.d) and the example policy, the public headers, the static
# library and postern.pc. Honours DESTDIR and CMAKE_INSTALL_PREFIX. The
# .deb installs the same set (tests/e2e/install_debian_set.sh compares).

# Man pages and completion: `postern __manpage --all DIR` writes
# DIR/man1/*.1 and DIR/man5/*.5, one per table entry, so a new command gets
# its page without a change here.
set(PST_DOC_OUT ${CMAKE_BINARY_DIR}/doc)
add_custom_command(OUTPUT ${PST_DOC_OUT}/stamp
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${PST_DOC_OUT}/man ${PST_DOC_OUT}/completion
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PST_DOC_OUT}/completion
  COMMAND postern __manpage --all ${PST_DOC_OUT}/man
  COMMAND postern __completion bash > ${PST_DOC_OUT}/completion/postern
  COMMAND postern __completion zsh > ${PST_DOC_OUT}/completion/_postern
  COMMAND ${CMAKE_COMMAND} -E touch ${PST_DOC_OUT}/stamp
  DEPENDS postern
  COMMENT "Writing the man pages and shell completion from the command table")
add_custom_target(postern_docs ALL DEPENDS ${PST_DOC_OUT}/stamp)

install(TARGETS postern RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY rules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/postern/rules)
install(DIRECTORY policies/ DESTINATION ${CMAKE_INSTALL_DATADIR}/postern/policies)
install(DIRECTORY ${PST_DOC_OUT}/man/ DESTINATION ${CMAKE_INSTALL_MANDIR})
install(FILES ${PST_DOC_OUT}/completion/postern
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${PST_DOC_OUT}/completion/_postern
  DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# The systemd units and the system user they run as: the files debian/ ships
# (dh_installsystemd, dh_installsysusers), so the two cannot differ, in the
# directories systemd.pc names (the .deb's), or under the prefix without it.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_get_variable(PST_SYSTEMD_UNITDIR systemd systemdsystemunitdir)
  pkg_get_variable(PST_SYSUSERSDIR systemd sysusersdir)
endif()
if(NOT PST_SYSTEMD_UNITDIR)
  set(PST_SYSTEMD_UNITDIR lib/systemd/system)
endif()
if(NOT PST_SYSUSERSDIR)
  set(PST_SYSUSERSDIR lib/sysusers.d)
endif()
set(POSTERN_SYSTEMD_UNITDIR ${PST_SYSTEMD_UNITDIR} CACHE PATH "Where the systemd units go")
set(POSTERN_SYSUSERSDIR ${PST_SYSUSERSDIR} CACHE PATH "Where the sysusers.d file goes")
install(FILES debian/postern.postern-serve.service DESTINATION ${POSTERN_SYSTEMD_UNITDIR}
  RENAME postern-serve.service)
install(FILES debian/postern.postern-worker@.service DESTINATION ${POSTERN_SYSTEMD_UNITDIR}
  RENAME postern-worker@.service)
install(FILES debian/postern.sysusers DESTINATION ${POSTERN_SYSUSERSDIR} RENAME postern.conf)
# debian/postern.examples: the example policy and the CI jobs
file(STRINGS debian/postern.examples PST_EXAMPLES REGEX "^[^#]")
install(FILES ${PST_EXAMPLES} DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# The library: static only (the CLI is its one in-tree user); postern.pc
# lists its dependencies in Requires (not Requires.private), because a static
# library's users must link them all, with or without --static.
install(TARGETS postern_lib ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/postern DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Written at install time, so `cmake --install --prefix P` gets prefix=P.
list(JOIN POSTERN_PC_REQUIRES ", " PST_PC_REQUIRES)
# dlopen (libclamav is opened when a scan asks for it, src/analyze/clamav.c)
set(PST_PC_DL "")
foreach(lib IN LISTS CMAKE_DL_LIBS)
  string(APPEND PST_PC_DL " -l${lib}")
endforeach()
string(STRIP "${PST_PC_DL}" PST_PC_DL)
install(CODE "
  set(PST_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(PST_PC_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(PST_PC_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(PST_PC_REQUIRES \"${PST_PC_REQUIRES}\")
  set(PST_PC_DL \"${PST_PC_DL}\")
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  set(pc \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig/postern.pc\")
  message(STATUS \"Installing: \${pc}\")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/postern.pc.in \"\${pc}\" @ONLY)
")
