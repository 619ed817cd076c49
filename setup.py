"""Install alrp_mmdet: aLRP Loss for MMDetection 3.x."""
import os.path as osp

from setuptools import find_packages, setup


def read_version():
    namespace = {}
    with open(osp.join(osp.dirname(__file__), 'alrp_mmdet', 'version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


setup(
    name='alrp_mmdet',
    version=read_version(),
    description='aLRP Loss (NeurIPS 2020) and AP Loss for MMDetection 3.x',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    packages=find_packages(include=['alrp_mmdet', 'alrp_mmdet.*']),
    python_requires='>=3.10',
    install_requires=[
        'torch>=1.8',
        'mmengine>=0.10.0,<1.0',
        'mmcv>=2.0.0rc4,<2.2.0',
        'mmdet>=3.3.0,<3.4.0',
        'numpy',
        'opencv-python',
        'pycocotools',
        'matplotlib',
        'scikit-learn',
        'scipy',
    ],
    extras_require={
        'tests': ['pytest>=7', 'pyyaml'],
    },
    classifiers=[
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
)
