#!/usr/bin/env python3
"""mkjars.py DIR - jars for tests/e2e/components_pkgdb.sh: a manifest only
(continuation lines, a per-entry section after the main one), manifest and
pom.properties (one component), a version-less pom.properties giving the
group, a hostile manifest (a 1.4 MB continued title, no final newline) and a
manifest naming nothing."""
import zipfile, sys, os
d = sys.argv[1]; os.makedirs(d, exist_ok=True)
def jar(name, files):
    with zipfile.ZipFile(os.path.join(d, name), 'w') as z:
        for p, c in files.items(): z.writestr(p, c)
jar('only-mf.jar', {'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\r\nImplementation-Title: Apache Commons\r\nBundle-SymbolicName: org.apache.commons.lang3;singleton:=true\r\nImplementation-Version: 3.12\r\n .0\r\nImplementation-Vendor: The Apache\r\n  Software Foundation\r\n\r\nName: x/\r\nImplementation-Version: 9.9\r\n', 'x/A.class': b'\xca\xfe\xba\xbe'})
jar('both.jar', {'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\nImplementation-Title: slf4j-api\nImplementation-Version: 1.7.36\n', 'META-INF/maven/org.slf4j/slf4j-api/pom.properties': 'groupId=org.slf4j\nartifactId=slf4j-api\nversion=1.7.36\n'})
jar('group.jar', {'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\nBundle-SymbolicName: gson\nBundle-Version: 2.10.1\n', 'META-INF/maven/com.google.code.gson/gson/pom.properties': 'groupId=com.google.code.gson\nartifactId=gson\n'})
jar('hostile.jar', {'META-INF/MANIFEST.MF': 'Implementation-Title: x\n' + ''.join(' ' + 'A' * 70 + '\n' for _ in range(20000)) + 'Implementation-Version: 1.0\nSpecification-Title: spec-x\nSpecification-Version: 2.0'})
jar('plain.jar', {'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\nCreated-By: 1.8.0 (Oracle)\n'})
